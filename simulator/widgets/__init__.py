"""Interactive activities (ipywidgets). Logic lives in the simulator modules they call."""

from .dashboard_exercises import DashboardExerciseWidget
from .explorer import ExplorerWidget
from .journey import ConsentConversationWidget, JourneyBuilderWidget
from .levels import LevelMatchingWidget
from .petal import PetalAnalysisWidget
from .priorities import PriorityWidget

__all__ = ["ConsentConversationWidget", "DashboardExerciseWidget", "ExplorerWidget", "JourneyBuilderWidget", "LevelMatchingWidget", "PetalAnalysisWidget", "PriorityWidget"]
