"""Column names of the evaluation contract, spelled once.

Splitters, metrics, recommenders and tests import these instead of repeating strings, so a frame
that reaches a metric either has exactly these columns or fails loudly on entry. ``movie_id``
becomes ``ITEM_ID`` in one place: the node that builds interactions.
"""

USER_ID = "user_id"
ITEM_ID = "item_id"
RATING = "rating"
TIMESTAMP = "timestamp"
SCORE = "score"
RANK = "rank"

DEFAULT_K = 10
