from claims.extraction.cleaning import find_debris
from claims.extraction.sentences import split_sentences

ARTICLE = """Harbour tunnel delayed again

Harbour tunnel delayed again

The harbour tunnel will open two years late, the transport authority said on Monday.

More news: Storm closes coastal road for a second day

Engineers found cracks in 14 of the 40 segments [Photo by Jo Bright/City Images]

READ MORE: Why the tunnel budget keeps growing

Share this article

Related Posts

Ferry fares to rise... The operator said fares would rise by 6 percent from May.
Second bridge plan dropped... The council said the bridge would cost too much.
"""


def test_debris_lines_and_related_blocks_give_no_sentences() -> None:
    sentences = [ARTICLE[s.start : s.end] for s in split_sentences(ARTICLE, find_debris(ARTICLE))]
    assert sentences == [
        "The harbour tunnel will open two years late, the transport authority said on Monday.",
        "Engineers found cracks in 14 of the 40 segments",
    ]


def test_debris_is_marked_in_place_without_rewriting_the_text() -> None:
    kinds = {(ARTICLE[d.start : d.end].split("\n")[0], d.kind) for d in find_debris(ARTICLE)}
    assert ("Harbour tunnel delayed again", "repeated_heading") in kinds
    assert ("[Photo by Jo Bright/City Images]", "credit") in kinds
    assert ("Related Posts", "related") in kinds
    assert ("READ MORE: Why the tunnel budget keeps growing", "boilerplate") in kinds
