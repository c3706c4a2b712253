"""Interactive activities (ipywidgets). Logic lives in the simulator modules they call."""

from .petal import PetalAnalysisWidget

__all__ = ["PetalAnalysisWidget"]
