"""Interactive activities (ipywidgets). Logic lives in the simulator modules they call."""

from .journey import ConsentConversationWidget, JourneyBuilderWidget
from .petal import PetalAnalysisWidget

__all__ = ["ConsentConversationWidget", "JourneyBuilderWidget", "PetalAnalysisWidget"]
