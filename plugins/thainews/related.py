"""Related articles by shared networks and tags, cheap enough for 10,000 articles.

Comparing every pair of articles costs n² (10⁸ at 10,000). Instead each article looks only at
articles that share a tag (tags are specific) and at its neighbours in time within each of its
networks (networks are broad: everyone in a network shares it, so the nearest in time are the
most relevant among equals).
"""

import heapq
from collections import defaultdict
from collections.abc import Sequence

TAG_WEIGHT = 2
NETWORK_WEIGHT = 1
TAG_WINDOW = 40  # candidates per tag on each side, nearest in time
NETWORK_WINDOW = 8  # candidates per network on each side, nearest in time


def related_indices(
    tags: Sequence[frozenset[str]], networks: Sequence[frozenset[str]], limit: int = 4
) -> list[list[int]]:
    """For items in time order (tags[i], networks[i]), the indices of each item's best matches.

    Best means most shared tags and networks (tags count double); ties go to the item
    nearest in time, then to the newer one.
    """
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (item_tags, item_networks) in enumerate(zip(tags, networks, strict=True)):
        for tag in item_tags:
            postings["t", tag].append(index)
        for network in item_networks:
            postings["n", network].append(index)
    positions = {key: {item: pos for pos, item in enumerate(items)} for key, items in postings.items()}

    def nearby(key, index, window):
        items = postings[key]
        pos = positions[key][index]
        return items[max(0, pos - window): pos + window + 1]

    results = []
    for index in range(len(tags)):
        candidates = set()
        for tag in tags[index]:
            candidates.update(nearby(("t", tag), index, TAG_WINDOW))
        for network in networks[index]:
            candidates.update(nearby(("n", network), index, NETWORK_WINDOW))
        candidates.discard(index)
        scored = heapq.nsmallest(
            limit,
            candidates,
            key=lambda other: (
                -(TAG_WEIGHT * len(tags[index] & tags[other])
                  + NETWORK_WEIGHT * len(networks[index] & networks[other])),
                abs(other - index),
                other,
            ),
        )
        results.append(scored)
    return results
