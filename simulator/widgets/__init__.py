"""Interactive activities (ipywidgets). Logic lives in the simulator modules they call."""

from .journey import ConsentConversationWidget, JourneyBuilderWidget
from .explorer import ExplorerWidget
from .levels import LevelMatchingWidget
from .petal import PetalAnalysisWidget
from .priorities import PriorityWidget

__all__ = ["ConsentConversationWidget", "ExplorerWidget", "JourneyBuilderWidget", "LevelMatchingWidget", "PetalAnalysisWidget", "PriorityWidget"]
