"""Item side information as sparse token matrices: genres and release decade.

EASE can learn from side information by treating each token as a pseudo-user who "interacted"
with every item carrying it (CEASE, Jeunen et al. 2020). A rare film then borrows strength from
films of its genres and decade, which matters most where interaction counts are thin.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from movia.evaluation.columns import ITEM_ID


def as_list(value: object) -> list[str]:
    """Genres arrive as lists, numpy arrays (after parquet) or NA; always return a list."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return []


def item_tokens(items: pd.DataFrame) -> pd.Series:
    """Tokens per item: ``genre:<name>`` for each genre and ``decade:<1990>`` for the year."""
    tokens = []
    years = (
        items["year"]
        if "year" in items.columns
        else pd.Series(pd.NA, index=items.index)
    )
    genres = (
        items["genres"]
        if "genres" in items.columns
        else pd.Series([[]] * len(items), index=items.index)
    )
    for genre_list, year in zip(genres, years, strict=True):
        row = [f"genre:{genre}" for genre in as_list(genre_list)]
        if not pd.isna(year):
            row.append(f"decade:{int(year) // 10 * 10}")
        tokens.append(row)
    return pd.Series(tokens, index=items[ITEM_ID].to_numpy())


def token_matrix(
    items: pd.DataFrame, item_ids: np.ndarray
) -> tuple[sp.csr_matrix, list[str]]:
    """Binary ``len(item_ids) x n_tokens`` matrix for the given item order, and token names.

    Items absent from ``items`` get an empty row.
    """
    tokens = item_tokens(items)
    tokens = tokens[~tokens.index.duplicated()]
    vocabulary = sorted({token for row in tokens for token in row})
    column = {token: j for j, token in enumerate(vocabulary)}
    rows, cols = [], []
    position = pd.Index(item_ids).get_indexer(tokens.index)
    for row, token_list in zip(position, tokens, strict=True):
        if row < 0:
            continue
        for token in token_list:
            rows.append(row)
            cols.append(column[token])
    matrix = sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(item_ids), len(vocabulary))
    )
    return matrix, vocabulary
