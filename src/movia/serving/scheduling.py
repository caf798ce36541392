"""Where a prediction runs: on the event loop, or on the thread pool when it is slow.

Most requests cost a millisecond or two of Python (a lookup, sparse products, explanations):
cheaper on the event loop than a thread hop, and the GIL would serialise a pool of them anyway.
A request with free text also runs one MiniLM forward pass, tens of milliseconds during which
torch releases the GIL; inline, it would stall every other request, so it goes to the pool.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from movia.serving.inference import ServingModel, predict_fn
from movia.serving.schemas import RecommendationsOut, RecommendRequest


async def predict(data: RecommendRequest, model: ServingModel) -> RecommendationsOut:
    """:func:`~movia.serving.inference.predict_fn`, inline or on the thread pool."""
    if data.text.strip():
        return await run_in_threadpool(predict_fn, data, model)
    return predict_fn(data, model)
