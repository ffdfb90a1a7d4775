"""The tables. Every row belongs to a school, so one deployment can serve a city.

One module per concept: ``base`` (the declarative base and its naming convention), ``people``
(the school, its classes, children, guardians and staff), ``messages`` (messages, renditions,
deliveries, a parent's free text), ``translations`` (the translation memory), ``slips`` (answers,
follow-ups, slip reminders), ``prikkels`` (feedback on prikkels),
``understanding`` ('Begrepen' / 'Uitleg graag' under a message), ``calendar`` (imported events
and the sends planned from them), ``reviews`` (vertalers' reviews of the drafts), ``senders``
(the lease of the process that sends for a bot), ``web`` (the staff desk's login links and
sessions), ``conversations`` (a parent's conversation with the school) and ``audit`` (staff
actions on personal data).
Every model is imported here, so ``Base.metadata`` is whole (Alembic compares against it) and a
relationship named by string finds its class; import the names from this package.
"""

from __future__ import annotations

from oudersbot.settings import DEFAULT_BOT
from oudersbot.store.models.audit import AuditEntry
from oudersbot.store.models.base import NAMING, Base
from oudersbot.store.models.calendar import (
    CalendarEventRow,
    EventStatus,
    PlannedSend,
    PlannedStatus,
)
from oudersbot.store.models.conversations import (
    Conversation,
    ConversationKind,
    ConversationMessage,
    ConversationNotice,
    ConversationStatus,
    Direction,
)
from oudersbot.store.models.messages import (
    Delivery,
    DeliveryStatus,
    InboundText,
    Message,
    MessageKind,
    Rendition,
)
from oudersbot.store.models.people import (
    Child,
    Group,
    Guardian,
    GuardianChild,
    Invite,
    JoinThrottle,
    Reachability,
    Role,
    School,
    Staff,
    StaffGroup,
)
from oudersbot.store.models.prikkels import PrikkelFeedback
from oudersbot.store.models.reviews import TranslationReview, Verdict
from oudersbot.store.models.senders import SenderLease
from oudersbot.store.models.slips import FollowUp, Reply, ReplySource, SlipReminder
from oudersbot.store.models.translations import TranslationEntry, TranslationOrigin
from oudersbot.store.models.understanding import Understanding
from oudersbot.store.models.voices import VoiceRendition
from oudersbot.store.models.web import WebLoginLink, WebSession

__all__ = [
    "VoiceRendition",
    "DEFAULT_BOT",  # re-exported: the bot a school uses unless told otherwise
    "NAMING",
    "Base",
    # people
    "Child",
    "Group",
    "Guardian",
    "GuardianChild",
    "Invite",
    "JoinThrottle",
    "Reachability",
    "Role",
    "School",
    "Staff",
    "StaffGroup",
    # messages
    "Delivery",
    "DeliveryStatus",
    "InboundText",
    "Message",
    "MessageKind",
    "Rendition",
    # conversations
    "Conversation",
    "ConversationKind",
    "ConversationMessage",
    "ConversationNotice",
    "ConversationStatus",
    "Direction",
    # translations
    "TranslationEntry",
    "TranslationOrigin",
    "TranslationReview",
    "Verdict",
    # slips
    "FollowUp",
    "Reply",
    "ReplySource",
    "SlipReminder",
    # prikkels
    "PrikkelFeedback",
    # understanding
    "Understanding",
    # calendar
    "CalendarEventRow",
    "EventStatus",
    "PlannedSend",
    "PlannedStatus",
    # senders
    "SenderLease",
    # audit
    "AuditEntry",
    # the staff desk
    "WebLoginLink",
    "WebSession",
]
