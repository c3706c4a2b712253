"""Interactive activities (ipywidgets). Logic lives in the simulator modules they call."""

from .action_plan import ActionPlanWidget
from .checkin import PreTestWidget, SurveyWidget
from .dashboard_exercises import DashboardExerciseWidget
from .explorer import ExplorerWidget
from .journey import ConsentConversationWidget, JourneyBuilderWidget
from .levels import LevelMatchingWidget
from .notify import NotifyScenarioWidget
from .notify_platform import NotifyProvidersWidget
from .own_case import OwnCaseWidget
from .petal import PetalAnalysisWidget
from .priorities import PriorityWidget
from .record import RecordVisitWidget
from .register import RegisterWidget
from .room import CheckinWidget, JoinRoomWidget
from .upstream import UpstreamWidget

__all__ = ["ActionPlanWidget", "CheckinWidget", "ConsentConversationWidget", "DashboardExerciseWidget", "ExplorerWidget",
           "JoinRoomWidget", "JourneyBuilderWidget", "LevelMatchingWidget", "NotifyProvidersWidget", "NotifyScenarioWidget", "OwnCaseWidget", "PetalAnalysisWidget", "PreTestWidget",
           "PriorityWidget", "RecordVisitWidget", "RegisterWidget", "SurveyWidget", "UpstreamWidget"]
