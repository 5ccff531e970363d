"""The checks every plugin makes of its settings dict, with messages that name the plugin and the key.

Each plugin keeps one dict of defaults; these functions merge it with what pelicanconf.py gives
and stop the build at start-up (Pelican's `initialized` signal) on a misspelt key or a bad number.
"""


def plugin_options(settings, key: str, defaults: dict) -> dict:
    """The plugin's settings: its defaults, overridden by `settings[key]`."""
    return {**defaults, **settings.get(key, {})}


def check_known_keys(plugin: str, settings, key: str, defaults: dict) -> None:
    given = settings.get(key, {})
    if not isinstance(given, dict):
        raise ValueError(f"{plugin}: {key} must be a dict, got {given!r}")
    unknown = set(given) - set(defaults)
    if unknown:
        moved = "; the number of processes is the one setting PROCESSES now, for every plugin" \
            if "PROCESSES" in unknown else ""
        raise ValueError(f"{plugin}: unknown key(s) in {key}: {', '.join(sorted(unknown))}; "
                         f"known keys: {', '.join(sorted(defaults))}{moved}")


def check_whole_numbers(plugin: str, key: str, options: dict, minimums: dict[str, int]) -> None:
    """Each named option must be an int (not a bool) of at least its minimum."""
    for name, minimum in minimums.items():
        value = options[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise ValueError(f"{plugin}: {key}['{name}'] must be a whole number of at least {minimum}, got {value!r}")
