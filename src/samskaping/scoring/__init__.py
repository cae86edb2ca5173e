"""Scoring: risk, goal attainment, benefits, meeting places, surveys, utenfor, assessments."""

from samskaping.scoring._benefits import *  # noqa: F403
from samskaping.scoring._common import LocalText, Reason, ReasonParam, to_json
from samskaping.scoring._goals import *  # noqa: F403
from samskaping.scoring._heatmap import *  # noqa: F403
from samskaping.scoring._meeting_places import *  # noqa: F403
from samskaping.scoring._risk import *  # noqa: F403
from samskaping.scoring._svg import *  # noqa: F403
from samskaping.scoring._vulnerability import *  # noqa: F403
from samskaping.scoring._survey import *  # noqa: F403
from samskaping.scoring._utenfor import *  # noqa: F403
from samskaping.scoring._assessments import *  # noqa: F403
