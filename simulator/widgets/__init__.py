"""Interactive activities (ipywidgets). Logic lives in the simulator modules they call."""

from .journey import ConsentConversationWidget, JourneyBuilderWidget
from .petal import PetalAnalysisWidget
from .priorities import PriorityWidget

__all__ = ["ConsentConversationWidget", "JourneyBuilderWidget", "PetalAnalysisWidget", "PriorityWidget"]
