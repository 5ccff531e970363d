"""Worker processes for the build's heavy, independent work (segmenting text, drawing pictures)."""

import gc
import multiprocessing


def fork_pool(processes: int, initializer=None, initargs=()):
    """A multiprocessing pool, forked where the platform allows (the workers then start with
    the build's memory: fonts, dictionaries, settings) and started otherwise."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    # Forked workers share the build's memory until they write to it; the garbage collector
    # would write to every object of a 10,000-article site. Frozen objects it leaves alone.
    gc.freeze()
    try:
        return context.Pool(processes, initializer=initializer, initargs=initargs)
    finally:
        gc.unfreeze()


class Done:
    """The result of work already done, shaped like multiprocessing's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value
