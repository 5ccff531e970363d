from thainews.related import related_indices


def test_shared_tags_outrank_shared_networks_and_ties_go_to_the_nearest():
    tags = [frozenset({"a"}), frozenset(), frozenset(), frozenset({"a"}), frozenset()]
    networks = [frozenset({"n"}), frozenset({"n"}), frozenset({"n"}), frozenset(), frozenset({"m"})]
    related = related_indices(tags, networks, limit=2)
    assert related[0] == [3, 1]  # the tag match first, then the nearest network neighbour
    assert related[4] == []  # shares nothing with anyone
    assert all(index not in found for index, found in enumerate(related))


def test_scales_linearly_on_broad_networks():
    count = 3000
    tags = [frozenset({f"t{i % 50}"}) for i in range(count)]
    networks = [frozenset({"all"}) for _ in range(count)]
    related = related_indices(tags, networks, limit=3)
    assert all(len(found) == 3 for found in related)
    assert all(tags[i] == tags[j] for i, found in enumerate(related) for j in found)
