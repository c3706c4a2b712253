"""Interactive activities (ipywidgets). Logic lives in the simulator modules they call."""

from .action_plan import ActionPlanWidget
from .explorer import ExplorerWidget
from .journey import ConsentConversationWidget, JourneyBuilderWidget
from .levels import LevelMatchingWidget
from .petal import PetalAnalysisWidget
from .priorities import PriorityWidget

__all__ = ["ActionPlanWidget", "ConsentConversationWidget", "ExplorerWidget", "JourneyBuilderWidget", "LevelMatchingWidget", "PetalAnalysisWidget", "PriorityWidget"]
