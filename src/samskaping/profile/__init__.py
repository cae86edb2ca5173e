"""Profiles: what varies by municipality, as one value (*kommunens profil*).

A :class:`Profile` holds phase models, risk scales and band rules, goal and
meeting-place thresholds, vulnerability tables, cost profiles, survey instruments,
assessment data, payout policies, validation rule sets and severities, and label
overrides. :meth:`Profile.default` is the built-in data; :func:`load_profile` reads a
folder and falls back to the built-in data for anything it leaves out. Validation, the
report and the command line take a profile; phases, payouts and scoring take only the
pieces they need.
"""

from samskaping.profile._library import Library
from samskaping.profile._load import PROFILE_LAYOUT, load_profile
from samskaping.profile._profile import Profile, RuleSettings

__all__ = ["PROFILE_LAYOUT", "Library", "Profile", "RuleSettings", "load_profile"]
