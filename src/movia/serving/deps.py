"""``Annotated`` dependency aliases: a route's signature says what it needs.

Everything lives on ``app.state``, set by the app's lifespan; nothing is global.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from movia.serving.events import EventStore
from movia.serving.inference import ServingModel
from movia.serving.metrics import ServingMetrics
from movia.serving.settings import ServingSettings


def get_model(request: Request) -> ServingModel:
    """The model loaded at start-up."""
    return request.app.state.model


def get_events(request: Request) -> EventStore:
    """The impressions and feedback store."""
    return request.app.state.events


def get_settings(request: Request) -> ServingSettings:
    """The settings the app was created with."""
    return request.app.state.settings


def get_metrics(request: Request) -> ServingMetrics:
    """The app's Prometheus metrics."""
    return request.app.state.metrics


ModelDep = Annotated[ServingModel, Depends(get_model)]
EventsDep = Annotated[EventStore, Depends(get_events)]
SettingsDep = Annotated[ServingSettings, Depends(get_settings)]
MetricsDep = Annotated[ServingMetrics, Depends(get_metrics)]
