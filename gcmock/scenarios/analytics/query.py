"""Conversation detail and aggregate queries over analytics records, and an index to answer them.

Semantics (read off the SDK 269 model descriptions, genesys-api.md §9):

* ``interval`` ``start/end`` (either side may be an ISO-8601 duration), half-open. A synchronous
  query keeps conversations with activity in the interval that *started on a day touched by the
  interval* (UTC); an async job keeps every conversation with activity in the interval, or only
  those started since the start date's midnight with ``startOfDayIntervalMatching``.
* Filters in one list and filters of different kinds are ANDed. A segment filter holds when one
  segment (seen with its session's and participant's dimensions) satisfies it as a whole; an
  evaluation, survey or resolution filter when one evaluation/survey/resolution does; a
  conversation filter tests the conversation's dimensions and, for metrics, each metric summed
  over every session.
* Predicates: ``matches`` (the default) compares ``value`` as text or tests ``range``;
  ``exists``/``notExists`` test presence.
* Aggregates bucket every session metric by its ``emitDate``, grouped by the requested
  dimensions of its session, participant and conversation: ``n`` metrics report ``count`` (the
  sum of their values), the others ``count``/``sum``/``min``/``max``.

:class:`AnalyticsIndex` answers the queries without scanning: records sorted by start time
(bisect) and posting sets for the dimensions users filter by most; only filters the postings
cannot answer exactly are evaluated, on the few candidates left. Following a store's
conversations, it reads one only when a query's interval first reaches it, and projects its
record only when a query needs it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from ..collector import collector_paused
from ..engine.model import Conversation
from ..views.analytics import (
    INDEXED_CONVERSATION_DIMENSIONS,
    INDEXED_SEGMENT_DIMENSIONS,
    analytics_end,
    conversation_header,
    indexed_values,
    to_analytics,
)
from ..views.projection import iso
from ..world import World

__all__ = [
    "AGGREGATE_DIMENSIONS",
    "CONVERSATION_DIMENSIONS",
    "CONVERSATION_METRICS",
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "SEGMENT_DIMENSIONS",
    "AggregateQuery",
    "AnalyticsIndex",
    "DetailQuery",
    "Filter",
    "Predicate",
    "QueryError",
    "aggregate_records",
    "conversation_row",
    "matches",
    "metric_observations",
    "parse_aggregate_query",
    "parse_details_query",
    "parse_interval",
    "record_values",
    "segment_rows",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SEGMENT_DIMENSIONS = _words(
    "addressFrom addressTo agentAssistantId agentOwned ani authenticated bargedParticipantId "
    "callbackNumber callbackScheduledTime canonicalExternalContactId cleared coachedParticipantId "
    "conference deliveryPushed deliveryStatus destinationAddress destinationConversationId "
    "detectedSpeechEnd detectedSpeechStart direction disconnectType dnis edgeId engagementSource "
    "errorCode exitReason extendedDeliveryStatus externalContactId externalOrganizationId "
    "flaggedReason flowId flowName flowOutType flowOutcome flowOutcomeId flowOutcomeValue "
    "flowVersion groupId journeyActionId journeyActionMapId journeyCustomerId "
    "journeyCustomerIdType journeyCustomerSessionId mediaCount mediaType messageType "
    "monitoredParticipantId outboundCampaignId outboundContactId outboundContactListId "
    "participantName protocolCallId provider purpose queueId recording remote "
    "remoteNameDisplayable requestedLanguageId requestedRouting requestedRoutingSkillId "
    "scoredAgentId screenMonitoredUserId screenRecording scriptId segmentEnd segmentType "
    "sessionDnis sipResponseCode skillExpressionId snippetRecording subject teamId "
    "transferTargetAddress transferTargetName transferType usedRouting userId wrapUpCode wrapUpNote"
)
"""``SegmentDetailQueryPredicate.dimension`` (SDK 269, 80 values)."""

CONVERSATION_DIMENSIONS = _words(
    "accessAttribute conversationEnd conversationId conversationInitiator conversationStart "
    "customerParticipation divisionId externalTag mediaStatsMinConversationMos "
    "originatingDirection originatingSocialMediaPublic"
)
"""``ConversationDetailQueryPredicate.dimension`` (SDK 269)."""

CONVERSATION_METRICS = _words(
    "nAgentDeclined nAlertExpired nBlindTransferred nBotInteractions nCallbackAttempts "
    "nCallbackOverSla nCallbackScheduled nCfcOffered nCobrowseSessions nConnected nConsult "
    "nConsultTransferred nConversations nError nFlow nFlowMilestone nFlowOutcome "
    "nFlowOutcomeFailed nOffered nOutbound nOutboundAbandoned nOutboundAttempted "
    "nOutboundConnected nOverSla nStateTransitionError nTakeover nTransferred oAudioMessageCount "
    "oExternalAudioMessageCount oExternalMediaCount oFlowMilestone oMediaCount oMessageCount "
    "oMessageSegmentCount oMessageTurn oSkillExpressionApplications tAbandon tAcd "
    "tActiveCallback tActiveCallbackComplete tAcw tAgentResponseTime tAgentVideoConnected tAlert "
    "tAnswered tAverageAgentResponseTime tAverageCustomerResponseTime tBarging tCallbackAbandon "
    "tCallbackConnect tCallbackNotReached tCallbackVirtualWait tCfcAbandon tCfcAcd tCfcAnswered "
    "tCfcFlowOut tCoaching tCoachingComplete tConnected tContacting tConversationDuration "
    "tDialing tFirstConnect tFirstDial tFirstEngagement tFirstResponse tFlow tFlowDisconnect "
    "tFlowExit tFlowOut tFlowOutcome tHandle tHeld tHeldComplete tIvr tMonitoring "
    "tMonitoringComplete tNotResponding tPark tParkComplete tScreenMonitoring tShortAbandon "
    "tSnippetRecord tTalk tTalkComplete tTransmitting tUserResponseTime tVoicemail tWait"
)
"""``ConversationDetailQueryPredicate.metric`` (SDK 269) plus ``tWait``, which records carry."""

AGGREGATE_DIMENSIONS = _words(
    "activeRouting activeSkillId addressFrom addressTo agentAssistantId agentBullseyeRing "
    "agentOwned agentRank agentScore ani assignerId authenticated canonicalExternalContactId "
    "conversationId conversationInitiator convertedFrom convertedTo customerParticipation "
    "deliveryStatus destinationAddress direction disconnectType divisionId dnis edgeId "
    "eligibleAgentCount errorCode extendedDeliveryStatus externalContactId externalMediaCount "
    "externalOrganizationId externalTag firstQueue flaggedReason flowInType flowOutType groupId "
    "interactionType journeyActionId journeyActionMapId journeyActionMapVersion journeyCustomerId "
    "journeyCustomerIdType journeyCustomerSessionId journeyCustomerSessionIdType knowledgeBaseId "
    "mediaCount mediaType messageType originatingDirection originatingSocialMediaPublic "
    "outboundCampaignId outboundContactId outboundContactListId participantName peerId "
    "proposedAgentId provider purpose queueId remote removedSkillId requestedLanguageId "
    "requestedRouting requestedRoutingSkillId roomId routingPriority routingRing routingRule "
    "routingRuleType scoredAgentId selectedAgentId selectedAgentRank selfServed sessionDnis "
    "sessionId skillExpressionId stationId teamId usedRouting userId videoPresent "
    "waitingInteractionCount wrapUpCode"
)
"""``ConversationAggregateQueryPredicate.dimension`` (SDK 269): also the valid ``groupBy``."""

_EVALUATION_DIMENSIONS = _words(
    "assigneeApplicable assigneeId calibrationId contextId deleted evaluationId evaluationStatus "
    "evaluatorId eventTime formId formName queueId released rescored systemSubmitted userId"
)
_SURVEY_DIMENSIONS = _words(
    "eventTime queueId surveyCompletedDate surveyFormContextId surveyFormId surveyId "
    "surveyPartialResponse surveyPromoterScore surveyStatus surveyType userId"
)
_PROPERTY_TYPES = _words("bool integer real date string uuid")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
_DAY = 86_400_000


@dataclass(frozen=True, slots=True)
class _Kind:
    """What the predicates of one filter family may name, and which record list they test."""

    name: str
    model: str
    dimensions: frozenset[str]
    metrics: frozenset[str]
    properties: bool = False


_KINDS = {
    "segmentFilters": _Kind(
        "segment",
        "SegmentDetailQueryPredicate",
        SEGMENT_DIMENSIONS,
        _words("tSegmentDuration"),
        True,
    ),
    "conversationFilters": _Kind(
        "conversation",
        "ConversationDetailQueryPredicate",
        CONVERSATION_DIMENSIONS,
        CONVERSATION_METRICS,
    ),
    "evaluationFilters": _Kind(
        "evaluation",
        "EvaluationDetailQueryPredicate",
        _EVALUATION_DIMENSIONS,
        _words("oTotalCriticalScore oTotalScore"),
    ),
    "surveyFilters": _Kind(
        "survey", "SurveyDetailQueryPredicate", _SURVEY_DIMENSIONS, _words("oSurveyTotalScore")
    ),
    "resolutionFilters": _Kind(
        "resolution", "ResolutionDetailQueryPredicate", frozenset(), _words("nNextContactAvoided")
    ),
}
_AGGREGATE_KIND = _Kind(
    "aggregate", "ConversationAggregateQueryPredicate", AGGREGATE_DIMENSIONS, frozenset()
)
_RECORD_LISTS = {"evaluation": "evaluations", "survey": "surveys", "resolution": "resolutions"}


class QueryError(ValueError):
    """An invalid query; ``field`` is the JSON path of the offending part (for the 400 body)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# ---------------------------------------------------------------------------------------------
# predicates and filters


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


_Range = tuple[float | None, float | None, float | None, float | None]


@dataclass(frozen=True, slots=True)
class Predicate:
    """``key operator value|range``: ``key`` names a row entry (a dimension or a metric)."""

    key: str
    operator: str
    value: str | None = None
    range: _Range | None = None
    """(gt, gte, lt, lte)."""

    def test(self, row: Mapping[str, Any]) -> bool:
        v = row.get(self.key)
        if self.operator == "exists":
            return v is not None
        if self.operator == "notExists":
            return v is None
        if v is None:
            return False
        values = v if isinstance(v, list) else (v,)
        if self.value is not None:
            return any(_text(x) == self.value for x in values)
        return any(self._in_range(_number(x)) for x in values)

    def _in_range(self, x: float | None) -> bool:
        assert self.range is not None
        if x is None:
            return False
        gt, gte, lt, lte = self.range
        return (
            (gt is None or x > gt)
            and (gte is None or x >= gte)
            and (lt is None or x < lt)
            and (lte is None or x <= lte)
        )


@dataclass(frozen=True, slots=True)
class Filter:
    """An ``and``/``or`` of predicates and clauses, tested against one row."""

    kind: str
    any_of: bool
    predicates: tuple[Predicate, ...]
    clauses: tuple[Filter, ...] = ()

    def test(self, row: Mapping[str, Any]) -> bool:
        parts: Iterator[bool] = (p.test(row) for p in self.predicates)
        clauses = (c.test(row) for c in self.clauses)
        if self.any_of:
            return any(parts) or any(clauses)
        return all(parts) and all(clauses)


def _require(obj: Any, kind: type, path: str, what: str) -> Any:
    if not isinstance(obj, kind) or (isinstance(obj, bool) and kind is not bool):
        raise QueryError(path, f"must be {what}")
    return obj


def _check_keys(obj: Mapping[str, Any], allowed: Iterable[str], path: str, model: str) -> None:
    allowed = set(allowed)
    for key in obj:
        if key not in allowed:
            raise QueryError(
                f"{path}.{key}" if path else key,
                f"is not a field of {model}; valid fields: {', '.join(sorted(allowed))}",
            )


def _parse_range(obj: Any, path: str) -> _Range:
    _require(obj, dict, path, "an object with gt, gte, lt or lte")
    _check_keys(obj, ("gt", "gte", "lt", "lte"), path, "NumericRange")
    if not obj:
        raise QueryError(path, "needs at least one of gt, gte, lt, lte")
    for key in ("gt", "gte", "lt", "lte"):
        if obj.get(key) is not None and _number(obj[key]) is None:
            raise QueryError(f"{path}.{key}", "must be a number")
    gt, gte, lt, lte = (_number(obj.get(k)) for k in ("gt", "gte", "lt", "lte"))
    return gt, gte, lt, lte


def _parse_predicate(obj: Any, kind: _Kind, path: str) -> Predicate:
    _require(obj, dict, path, "an object")
    fields = ["type", "dimension", "metric", "operator", "value", "range"]
    if kind.properties:
        fields += ["property", "propertyType"]
    _check_keys(obj, fields, path, kind.model)
    sides = [k for k in ("dimension", "metric", "property") if obj.get(k) is not None]
    ptype = obj.get("type")
    if ptype is None:
        if len(sides) != 1:
            raise QueryError(
                path,
                "needs exactly one of dimension, metric"
                + (", property" if kind.properties else ""),
            )
        ptype = sides[0]
    valid_types = (
        ("dimension", "metric", "property") if kind.properties else ("dimension", "metric")
    )
    if ptype not in valid_types:
        raise QueryError(f"{path}.type", f"must be one of {', '.join(valid_types)}, not {ptype!r}")
    name = obj.get(ptype)
    if not isinstance(name, str):
        raise QueryError(f"{path}.{ptype}", f"is required for a {ptype} predicate")
    if ptype == "dimension" and name not in kind.dimensions:
        raise QueryError(f"{path}.dimension", f"unknown {kind.name} dimension {name!r}")
    if ptype == "metric" and name not in kind.metrics:
        raise QueryError(f"{path}.metric", f"unknown {kind.name} metric {name!r}")
    key = name
    if ptype == "property":
        ptt = obj.get("propertyType")
        if ptt not in _PROPERTY_TYPES:
            raise QueryError(
                f"{path}.propertyType", f"must be one of {', '.join(sorted(_PROPERTY_TYPES))}"
            )
        key = f"property:{name}"
    operator = obj.get("operator", "matches")
    if operator not in ("matches", "exists", "notExists"):
        raise QueryError(
            f"{path}.operator", f"must be matches, exists or notExists, not {operator!r}"
        )
    value = obj.get("value")
    if value is not None and not isinstance(value, str):
        raise QueryError(f"{path}.value", "must be a string")
    rng = obj.get("range")
    if operator == "matches":
        if (value is None) == (rng is None):
            raise QueryError(path, "a matches predicate needs either a value or a range")
    elif value is not None or rng is not None:
        raise QueryError(path, f"an {operator} predicate takes no value or range")
    parsed = _parse_range(rng, f"{path}.range") if rng is not None else None
    return Predicate(key, operator, value, parsed)


def _parse_filter(obj: Any, kind: _Kind, path: str, *, clause: bool = False) -> Filter:
    _require(obj, dict, path, "an object")
    fields = ("type", "predicates") if clause else ("type", "clauses", "predicates")
    _check_keys(obj, fields, path, "clause" if clause else "filter")
    ftype = obj.get("type")
    if ftype not in ("and", "or"):
        raise QueryError(f"{path}.type", f"must be and or or, not {ftype!r}")
    preds = _require(obj.get("predicates") or [], list, f"{path}.predicates", "a list")
    clauses = (
        [] if clause else _require(obj.get("clauses") or [], list, f"{path}.clauses", "a list")
    )
    if not preds and not clauses:
        raise QueryError(path, "needs at least one predicate" + ("" if clause else " or clause"))
    return Filter(
        kind.name,
        ftype == "or",
        tuple(_parse_predicate(p, kind, f"{path}.predicates[{i}]") for i, p in enumerate(preds)),
        tuple(
            _parse_filter(c, kind, f"{path}.clauses[{i}]", clause=True)
            for i, c in enumerate(clauses)
        ),
    )


# ---------------------------------------------------------------------------------------------
# intervals and durations

_DURATION = re.compile(
    r"P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)


def _duration_ms(text: str, path: str) -> int:
    m = _DURATION.fullmatch(text)
    if m is None or text in ("P", "PT") or text.endswith("T"):
        raise QueryError(
            path, f"{text!r} is not an ISO-8601 duration in weeks, days, hours, minutes, seconds"
        )
    g = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    ms = int(((((g["w"] * 7 + g["d"]) * 24 + g["h"]) * 60 + g["m"]) * 60 + g["s"]) * 1000)
    if ms <= 0:
        raise QueryError(path, f"duration {text!r} must be positive")
    return ms


def _instant_ms(text: str, path: str) -> int:
    try:
        t = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise QueryError(path, f"{text!r} is not an ISO-8601 date-time") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return int(t.timestamp() * 1000)


def parse_interval(value: Any, path: str = "interval") -> tuple[int, int]:
    """``start/end`` (either may be a duration) -> (start ms, end ms), half-open."""
    if not isinstance(value, str) or value.count("/") != 1:
        raise QueryError(path, "must be an ISO-8601 interval such as 2026-11-01T00:00:00Z/P1D")
    left, right = value.split("/")
    if left.startswith("P") and right.startswith("P"):
        raise QueryError(path, "needs at least one date-time")
    if left.startswith("P"):
        end = _instant_ms(right, path)
        start = end - _duration_ms(left, path)
    else:
        start = _instant_ms(left, path)
        end = (
            start + _duration_ms(right, path) if right.startswith("P") else _instant_ms(right, path)
        )
    if end <= start:
        raise QueryError(path, "the interval end must be after its start")
    return start, end


# ---------------------------------------------------------------------------------------------
# detail queries


@dataclass(frozen=True, slots=True)
class DetailQuery:
    """A validated ``ConversationQuery`` (or, with ``job``, an ``AsyncConversationQuery``)."""

    start: int
    end: int
    filters: tuple[Filter, ...] = ()
    order: str = "asc"
    order_by: str = "conversationStart"
    page_size: int = DEFAULT_PAGE_SIZE
    page_number: int = 1
    job: bool = False
    start_of_day: bool = False
    limit: int | None = None

    def in_interval(self, start: int, end: int | None) -> bool:
        """Activity in the interval; a sync query also needs a start on a touched UTC day."""
        if start >= self.end or (end is not None and end < self.start):
            return False
        if self.job:
            return not self.start_of_day or start >= self.start - self.start % _DAY
        return self.start - self.start % _DAY <= start

    def start_bounds(self, max_span: int) -> tuple[int, int]:
        """The conversation starts that can match, for a bisect over starts (live ones aside)."""
        lo = self.start - self.start % _DAY
        if self.job and not self.start_of_day:
            lo = min(lo, self.start - max_span)
        return lo, self.end


_SORTS = ("conversationStart", "conversationEnd", "segmentStart", "segmentEnd")
_FILTER_KEYS = tuple(_KINDS)


def parse_details_query(body: Any, *, job: bool = False) -> DetailQuery:
    """Validate a details query body; raise :class:`QueryError` naming the first problem."""
    model = "AsyncConversationQuery" if job else "ConversationQuery"
    _require(body, dict, "body", f"a JSON object ({model})")
    if "aggregations" in body and not job:
        raise QueryError("aggregations", "faceted aggregations are not supported by gcmock")
    extra = ("limit", "startOfDayIntervalMatching") if job else ("paging",)
    _check_keys(body, ("interval", "order", "orderBy", *_FILTER_KEYS, *extra), "", model)
    if "interval" not in body:
        raise QueryError("interval", "is required")
    start, end = parse_interval(body["interval"])
    order = body.get("order", "asc")
    if order not in ("asc", "desc", "unordered"):
        raise QueryError("order", f"must be asc, desc or unordered, not {order!r}")
    order_by = body.get("orderBy", "conversationStart")
    if order_by not in _SORTS:
        raise QueryError("orderBy", f"must be one of {', '.join(_SORTS)}, not {order_by!r}")
    filters: list[Filter] = []
    for key, kind in _KINDS.items():
        items = _require(body.get(key) or [], list, key, "a list of filters")
        filters += [_parse_filter(f, kind, f"{key}[{i}]") for i, f in enumerate(items)]
    page_size, page_number = DEFAULT_PAGE_SIZE, 1
    paging = body.get("paging")
    if paging is not None:
        _require(paging, dict, "paging", "an object")
        _check_keys(paging, ("pageSize", "pageNumber"), "paging", "PagingSpec")
        page_size = _require(
            paging.get("pageSize", page_size), int, "paging.pageSize", "an integer"
        )
        page_number = _require(paging.get("pageNumber", 1), int, "paging.pageNumber", "an integer")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise QueryError(
                "paging.pageSize", f"must be between 1 and {MAX_PAGE_SIZE}, not {page_size}"
            )
        if page_number < 1:
            raise QueryError("paging.pageNumber", f"must be 1 or more, not {page_number}")
    limit = None
    if job and body.get("limit") is not None:
        limit = _require(body["limit"], int, "limit", "an integer")
        if limit < 1:
            raise QueryError("limit", f"must be 1 or more, not {limit}")
    start_of_day = False
    if job and body.get("startOfDayIntervalMatching") is not None:
        start_of_day = _require(
            body["startOfDayIntervalMatching"], bool, "startOfDayIntervalMatching", "a boolean"
        )
    return DetailQuery(
        start,
        end,
        tuple(filters),
        order,
        order_by,
        page_size,
        page_number,
        job,
        start_of_day,
        limit,
    )


# ---------------------------------------------------------------------------------------------
# rows: what the predicates of each filter family look at

_PLURALS = {
    "callbackNumbers": "callbackNumber",
    "destinationAddresses": "destinationAddress",
    "divisionIds": "divisionId",
    "accessAttributes": "accessAttribute",
    "requestedRoutingSkillIds": "requestedRoutingSkillId",
    "requestedRoutings": "requestedRouting",
    "sipResponseCodes": "sipResponseCode",
}
_NESTED = frozenset({"sessions", "attributes", "metrics", "segments", "flow", "participants"})


def _flat(obj: Mapping[str, Any], into: dict[str, Any]) -> None:
    for k, v in obj.items():
        if k not in _NESTED and not isinstance(v, dict):
            into[_PLURALS.get(k, k)] = v


def _ms(text: str) -> int:
    return _instant_ms(text, "record")


def segment_rows(record: Mapping[str, Any], *, durations: bool = True) -> list[dict[str, Any]]:
    """One row per segment: its own fields over its session's (and flow's) and participant's,
    plural list fields renamed to their singular dimension, plus (with ``durations``) the
    ``tSegmentDuration`` metric of closed segments."""
    rows = []
    for p in record.get("participants", ()):
        base: dict[str, Any] = {}
        _flat(p, base)
        for s in p.get("sessions", ()):
            session = dict(base)
            _flat(s, session)
            if "flow" in s:
                _flat(s["flow"], session)
            for seg in s.get("segments", ()):
                row = dict(session)
                _flat(seg, row)
                if durations and "segmentEnd" in seg:
                    row["tSegmentDuration"] = _ms(seg["segmentEnd"]) - _ms(seg["segmentStart"])
                rows.append(row)
    return rows


def conversation_row(record: Mapping[str, Any], *, metrics: bool = True) -> dict[str, Any]:
    """The conversation's dimensions and, with ``metrics``, each metric summed over sessions."""
    row: dict[str, Any] = {}
    _flat(record, row)
    row.pop("evaluations", None)
    row.pop("surveys", None)
    row.pop("resolutions", None)
    if metrics:
        for p in record.get("participants", ()):
            for s in p.get("sessions", ()):
                for m in s.get("metrics", ()):
                    row[m["name"]] = row.get(m["name"], 0) + m["value"]
    return row


def _rows(record: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    if kind == "segment":
        return segment_rows(record)
    if kind == "conversation":
        return [conversation_row(record)]
    return [dict(x) for x in record.get(_RECORD_LISTS[kind], ())]


def matches(record: Mapping[str, Any], filters: Sequence[Filter]) -> bool:
    """Whether a record satisfies every filter (the brute-force definition the index follows)."""
    cache: dict[str, list[dict[str, Any]]] = {}
    for f in filters:
        rows = cache.get(f.kind)
        if rows is None:
            rows = cache[f.kind] = _rows(record, f.kind)
        if not any(f.test(r) for r in rows):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# aggregates


@dataclass(frozen=True, slots=True)
class AggregateQuery:
    """A validated ``ConversationAggregationQuery``."""

    start: int
    end: int
    granularity: int | None
    group_by: tuple[str, ...]
    metrics: tuple[str, ...]
    filter: Filter | None = None
    flatten: bool = False


_UNSUPPORTED_AGGREGATE_FIELDS = ("views", "sortMetric", "limit", "alternateTimeDimension")


def parse_aggregate_query(body: Any) -> AggregateQuery:
    """Validate an aggregates query body; raise :class:`QueryError` naming the first problem."""
    _require(body, dict, "body", "a JSON object (ConversationAggregationQuery)")
    for key in _UNSUPPORTED_AGGREGATE_FIELDS:
        if body.get(key) is not None:
            raise QueryError(key, "is not supported by gcmock")
    _check_keys(
        body,
        (
            "interval",
            "granularity",
            "timeZone",
            "groupBy",
            "filter",
            "metrics",
            "flattenMultivaluedDimensions",
            "queryType",
        ),
        "",
        "ConversationAggregationQuery",
    )
    if "interval" not in body:
        raise QueryError("interval", "is required")
    start, end = parse_interval(body["interval"])
    granularity = None
    if body.get("granularity") is not None:
        g = _require(body["granularity"], str, "granularity", "an ISO-8601 duration")
        granularity = _duration_ms(g, "granularity")
    tz = body.get("timeZone")
    if tz is not None:
        try:
            ZoneInfo(_require(tz, str, "timeZone", "a time zone name"))
        except (ZoneInfoNotFoundError, ValueError):
            raise QueryError("timeZone", f"unknown time zone {tz!r}") from None
    if body.get("queryType", "groupBy") != "groupBy":
        raise QueryError("queryType", "gcmock supports only groupBy")
    group_by = tuple(_require(body.get("groupBy") or [], list, "groupBy", "a list of dimensions"))
    for i, dim in enumerate(group_by):
        if dim not in AGGREGATE_DIMENSIONS:
            raise QueryError(f"groupBy[{i}]", f"unknown dimension {dim!r}")
    metrics = tuple(_require(body.get("metrics") or [], list, "metrics", "a list of metrics"))
    if not metrics:
        raise QueryError("metrics", "needs at least one metric")
    for i, name in enumerate(metrics):
        if name not in CONVERSATION_METRICS:
            raise QueryError(f"metrics[{i}]", f"unknown metric {name!r}")
    flt = None
    if body.get("filter") is not None:
        flt = _parse_filter(body["filter"], _AGGREGATE_KIND, "filter")
    flatten = bool(body.get("flattenMultivaluedDimensions", False))
    return AggregateQuery(start, end, granularity, group_by, metrics, flt, flatten)


def metric_observations(
    record: Mapping[str, Any],
) -> Iterator[tuple[str, int, int, dict[str, Any]]]:
    """(name, value, emit ms, dimensions) for every session metric of a record.

    The dimensions are the conversation's, the participant's, the session's and those of its
    segments (the last segment wins, so ``disconnectType`` is how the session ended).
    """
    conv = conversation_row(record, metrics=False)
    for p in record.get("participants", ()):
        for s in p.get("sessions", ()):
            metrics = s.get("metrics")
            if not metrics:
                continue
            dims = dict(conv)
            _flat(p, dims)
            _flat(s, dims)
            for seg in s.get("segments", ()):
                _flat(seg, dims)
            for key in ("segmentStart", "segmentEnd", "segmentType"):
                dims.pop(key, None)
            for m in metrics:
                yield m["name"], m["value"], _ms(m["emitDate"]), dims


def _groups(
    dims: Mapping[str, Any], group_by: Sequence[str], flatten: bool
) -> list[tuple[str, ...]]:
    """The group keys of one observation: a multi-valued dimension makes one group per value
    with ``flattenMultivaluedDimensions``, else one group for the sorted, joined values."""
    keys: list[tuple[str, ...]] = [()]
    for dim in group_by:
        v = dims.get(dim)
        if v is None:
            values = [""]
        elif isinstance(v, list):
            texts = sorted(_text(x) for x in v)
            values = texts if flatten and texts else [",".join(texts)]
        else:
            values = [_text(v)]
        keys = [(*k, x) for k in keys for x in values]
    return keys


def _stats(name: str, values: list[int]) -> dict[str, Any]:
    if name.startswith("n"):
        return {"count": sum(values)}
    return {"max": max(values), "min": min(values), "count": len(values), "sum": sum(values)}


def aggregate_records(records: Iterable[Mapping[str, Any]], q: AggregateQuery) -> dict[str, Any]:
    """The ``ConversationAggregateQueryResponse`` over ``records`` (``{}`` when nothing matched)."""
    wanted = set(q.metrics)
    cells: dict[tuple[str, ...], dict[int, dict[str, list[int]]]] = {}
    for record in records:
        for name, value, at, dims in metric_observations(record):
            if name not in wanted or not q.start <= at < q.end:
                continue
            if q.filter is not None and not q.filter.test(dims):
                continue
            bucket = (at - q.start) // q.granularity if q.granularity else 0
            for key in _groups(dims, q.group_by, q.flatten):
                cells.setdefault(key, {}).setdefault(bucket, {}).setdefault(name, []).append(value)
    if not cells:
        return {}
    results = []
    for key in sorted(cells):
        group = {dim: v for dim, v in zip(q.group_by, key, strict=True) if v}
        data = []
        for bucket in sorted(cells[key]):
            lo = q.start + bucket * (q.granularity or 0)
            hi = min(q.end, lo + q.granularity) if q.granularity else q.end
            by_name = cells[key][bucket]
            data.append(
                {
                    "interval": f"{iso(lo)}/{iso(hi)}",
                    "metrics": [
                        {"metric": n, "stats": _stats(n, by_name[n])}
                        for n in q.metrics
                        if n in by_name
                    ],
                }
            )
        container: dict[str, Any] = {"group": group} if group else {}
        container["data"] = data
        results.append(container)
    return {"results": results}


# ---------------------------------------------------------------------------------------------
# the index

_SEGMENT_INDEXED = INDEXED_SEGMENT_DIMENSIONS
_CONVERSATION_INDEXED = INDEXED_CONVERSATION_DIMENSIONS
_Posting = tuple[str, str]
"""(dimension, value as text): the segment and conversation dimensions indexed are disjoint."""
_BATCH = 32
"""Entries added at once beyond this are merged into the start order by one sort."""


@dataclass(slots=True)
class _Entry:
    id: str
    start: int
    end: int | None
    values: tuple[_Posting, ...]
    """Every indexed (dimension, value) of the record; the postings hold those of the
    dimensions queries have asked for."""
    conv: dict[str, Any] | None
    """The conversation-level dimensions, to test conversation filters without decoding (for
    a conversation, read when a query first needs them)."""
    blob: bytes | None
    """The record as JSON (a fraction of the memory of the decoded dict); for a conversation,
    projected when a query first needs it."""
    source: Conversation | None = None
    """The conversation state the entry reflects (None for an entry added as a record)."""


def record_values(record: Mapping[str, Any]) -> set[_Posting]:
    """:func:`~gcmock.scenarios.views.analytics.indexed_values` read off a record: the indexed
    dimensions of its segment rows and of its conversation."""
    out = {
        (dim, _text(v))
        for row in segment_rows(record, durations=False)
        for dim in _SEGMENT_INDEXED
        if (v := row.get(dim)) is not None
    }
    conv = conversation_row(record, metrics=False)
    for dim in _CONVERSATION_INDEXED:
        v = conv.get(dim)
        out.update(
            (dim, _text(x)) for x in (v if isinstance(v, list) else () if v is None else (v,))
        )
    return out


class AnalyticsIndex:
    """Analytics records kept for queries: sorted by start, with posting sets per dimension.

    Fed either records (:meth:`add`, :meth:`replace`) or, as the server does, the conversations
    of a store, which ``source`` looks up by id (:meth:`follow`, :meth:`track`). A followed
    conversation costs nothing until a query's interval reaches its start: then its end and
    indexed values are read off the engine state (:func:`~gcmock.scenarios.views.analytics.
    indexed_values`, a tenth of a record's cost); its record
    (``to_analytics(conv, with_attributes=True, world=world)``) is projected only when a query
    returns it or a filter the postings cannot answer needs it. Postings are kept only for the
    dimensions queries have filtered by, so reading a conversation touches a few of them. The
    first query over a large store thus costs what its interval holds, not what the store
    holds. Records are kept as JSON bytes; :meth:`query` pages return the sync shape (no
    participant ``attributes``), :meth:`records` either shape.
    """

    def __init__(
        self,
        world: World | None = None,
        source: Callable[[str], Conversation | None] | None = None,
    ) -> None:
        self._world = world
        self._source = source
        self._entries: dict[str, _Entry] = {}
        self._starts: list[tuple[int, str]] = []
        self._postings: dict[_Posting, set[str]] = {}
        self._posted: set[str] = set()
        """The dimensions whose postings are kept (those some query has filtered by)."""
        self._keys: dict[_Posting, _Posting] = {}
        """One shared tuple per distinct (dimension, value): entries hold these, not copies."""
        self._live: set[str] = set()
        self._max_span = 0
        self._unread: list[tuple[int, str]] = []
        """(start, id) of followed conversations no query has read in their current state,
        sorted; one whose current state does not start there, or is indexed, is skipped."""

    def __len__(self) -> int:
        """The conversations indexed so far (followed ones count once a query has read them)."""
        return len(self._entries)

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._entries

    def add(self, record: Mapping[str, Any]) -> None:
        """Add a new conversation's record; an id already present is an error."""
        cid = record["conversationId"]
        if cid in self._entries:
            raise ValueError(f"conversation {cid} is already indexed; use replace")
        start = _ms(record["conversationStart"])
        end = _ms(record["conversationEnd"]) if "conversationEnd" in record else None
        values = self._shared(record_values(record))
        row = conversation_row(record, metrics=False)
        self._insert([_Entry(cid, start, end, values, row, orjson.dumps(record))])

    def replace(self, record: Mapping[str, Any]) -> None:
        """Add or update a conversation's record."""
        self.remove(record["conversationId"])
        self.add(record)

    def remove(self, conversation_id: str) -> None:
        """Forget a conversation (no error if it is unknown)."""
        entry = self._entries.pop(conversation_id, None)
        if entry is None:
            return
        i = bisect.bisect_left(self._starts, (entry.start, entry.id))
        if i < len(self._starts) and self._starts[i] == (entry.start, entry.id):
            del self._starts[i]
        for key in entry.values:
            if key[0] in self._posted:
                ids = self._postings[key]
                ids.discard(entry.id)
                if not ids:
                    del self._postings[key]
        self._live.discard(entry.id)

    def follow(self, order: list[tuple[int, str]]) -> None:
        """Follow a whole store afresh: ``order`` is the (start, id) of every conversation in
        it, sorted (the index keeps the list). Entries whose conversation is gone or changed
        are dropped, to be read again when needed; the others stay, so following the same
        conversations again (a reset to the served state) costs a look-up per entry."""
        source = self._require_source()
        for cid, entry in list(self._entries.items()):
            if source(cid) is not entry.source:
                self.remove(cid)
        self._unread = order

    def track(self, conversation_ids: Iterable[str]) -> None:
        """Conversations published since (new or changed): each is read again when needed."""
        source = self._require_source()
        fresh = []
        for cid in conversation_ids:
            conv = source(cid)
            entry = self._entries.get(cid)
            if entry is not None:
                if entry.source is conv:
                    continue
                self.remove(cid)
            if conv is None:
                continue
            key = (conv.start, cid)  # a conversation's start never changes
            k = bisect.bisect_left(self._unread, key)
            if k == len(self._unread) or self._unread[k] != key:
                fresh.append(key)
        _merge(self._unread, sorted(set(fresh)))

    def records(self, ids: Iterable[str], *, with_attributes: bool = False) -> list[dict[str, Any]]:
        """The records of ``ids`` (unknown ids skipped), in the sync or the async shape."""
        out = []
        for cid in ids:
            entry = self._entries.get(cid)
            if entry is None and self._source is not None:
                conv = self._source(cid)
                if conv is not None:
                    entry = self._entry(conv)
                    self._insert([entry])
            if entry is None:
                continue
            record: dict[str, Any] = orjson.loads(self._blob(entry))
            if not with_attributes:
                for p in record["participants"]:
                    p.pop("attributes", None)
            out.append(record)
        return out

    # -- entries -----------------------------------------------------------------------------
    def _require_source(self) -> Callable[[str], Conversation | None]:
        if self._source is None:
            raise TypeError("this index holds records: it has no conversations to follow")
        return self._source

    def _shared(self, values: Iterable[_Posting]) -> tuple[_Posting, ...]:
        keys = self._keys
        return tuple([keys.setdefault(key, key) for key in values])

    def _entry(self, conv: Conversation) -> _Entry:
        values = self._shared(indexed_values(conv))
        return _Entry(conv.id, conv.start, analytics_end(conv), values, None, None, conv)

    def _blob(self, entry: _Entry) -> bytes:
        if entry.blob is None:
            assert entry.source is not None
            record = to_analytics(entry.source, with_attributes=True, world=self._world)
            entry.blob = orjson.dumps(record)
        return entry.blob

    def _row(self, entry: _Entry) -> dict[str, Any]:
        if entry.conv is None:
            assert entry.source is not None
            header = conversation_header(entry.source, entry.end)
            entry.conv = conversation_row(header, metrics=False)
        return entry.conv

    def _insert(self, entries: list[_Entry]) -> None:
        postings, posted = self._postings, self._posted
        for entry in entries:
            cid = entry.id
            self.remove(cid)  # an entry read again replaces the one it had
            self._entries[cid] = entry
            if posted:
                for key in entry.values:
                    if key[0] in posted:
                        ids = postings.get(key)
                        if ids is None:
                            ids = postings[key] = set()
                        ids.add(cid)
            if entry.end is None:
                self._live.add(cid)
            else:
                self._max_span = max(self._max_span, entry.end - entry.start)
        _merge(self._starts, [(e.start, e.id) for e in entries])

    def _post(self, dimension: str) -> None:
        """Keep postings for ``dimension`` from now on (those of every entry, the first time)."""
        if dimension in self._posted:
            return
        self._posted.add(dimension)
        postings = self._postings
        for cid, entry in self._entries.items():
            for key in entry.values:
                if key[0] == dimension:
                    ids = postings.get(key)
                    if ids is None:
                        ids = postings[key] = set()
                    ids.add(cid)

    def _read(self, q: DetailQuery) -> None:
        """Read the followed conversations ``q`` can select: those starting in its bisect
        window, or, for a job that keeps conversations live since long before, every earlier
        one (their spans are unknown until read). The collector is paused meanwhile: reading
        thousands of conversations allocates long-lived objects by the ten thousand, and each
        collection on the way would traverse all of them again."""
        unread = self._unread
        if not unread:
            return
        assert self._source is not None
        lo = None if q.job and not q.start_of_day else q.start_bounds(0)[0]
        i = 0 if lo is None else bisect.bisect_left(unread, (lo, ""))
        j = bisect.bisect_left(unread, (q.end, ""))
        if i == j:
            return
        due = unread[i:j]
        del unread[i:j]
        source, entries = self._source, self._entries
        fresh = []
        seen: set[str] = set()
        with collector_paused():
            for start, cid in due:
                conv = source(cid)
                if conv is None or conv.start != start or cid in seen:
                    continue
                seen.add(cid)
                entry = entries.get(cid)
                if entry is not None and entry.source is conv:
                    continue
                fresh.append(self._entry(conv))
            self._insert(fresh)

    # -- details ---------------------------------------------------------------------------
    def search(self, q: DetailQuery) -> list[str]:
        """The ids of every matching conversation, in the query's order."""
        self._read(q)
        candidates, residual = self._plan(q.filters)
        entries = self._select(q, candidates)
        if residual:
            entries = [e for e in entries if self._passes(e, residual)]
        if q.order_by in ("conversationEnd", "segmentEnd"):
            inf = float("inf")
            entries.sort(key=lambda e: (inf if e.end is None else e.end, e.id))
        else:
            entries.sort(key=lambda e: (e.start, e.id))
        if q.order == "desc":
            entries.reverse()
        ids = [e.id for e in entries]
        return ids[: q.limit] if q.limit is not None else ids

    def query(self, q: DetailQuery) -> dict[str, Any]:
        """One page of ``AnalyticsConversationQueryResponse``: ``conversations``, ``totalHits``."""
        ids = self.search(q)
        first = (q.page_number - 1) * q.page_size
        page = self.records(ids[first : first + q.page_size])
        out: dict[str, Any] = {"conversations": page} if page else {}
        out["totalHits"] = len(ids)
        return out

    def _select(self, q: DetailQuery, candidates: set[str] | None) -> list[_Entry]:
        lo, hi = q.start_bounds(self._max_span)
        i = bisect.bisect_left(self._starts, (lo, ""))
        j = bisect.bisect_left(self._starts, (hi, ""))
        entries = self._entries
        if candidates is not None and len(candidates) < j - i:
            picked = (entries[c] for c in candidates if c in entries)
            return [e for e in picked if q.in_interval(e.start, e.end)]
        out = []
        for _, cid in self._starts[i:j]:
            if candidates is None or cid in candidates:
                e = entries[cid]
                if q.in_interval(e.start, e.end):
                    out.append(e)
        if q.job and not q.start_of_day:  # live conversations started before the bisect window
            for cid in self._live:
                e = entries[cid]
                if e.start < lo and (candidates is None or cid in candidates):
                    out.append(e)
        return out

    def _plan(self, filters: Sequence[Filter]) -> tuple[set[str] | None, list[Filter]]:
        """Candidate ids from the postings (None: no restriction) and the filters they do not
        answer exactly, to test on each candidate."""
        candidates: set[str] | None = None
        residual = []
        for f in filters:
            ids, exact = self._plan_filter(f)
            if ids is not None:
                candidates = ids if candidates is None else candidates & ids
            if not exact:
                residual.append(f)
        return candidates, residual

    def _plan_filter(self, f: Filter) -> tuple[set[str] | None, bool]:
        parts = [self._plan_predicate(f.kind, p) for p in f.predicates]
        parts += [self._plan_filter(c) for c in f.clauses]
        if f.any_of:
            if any(ids is None for ids, _ in parts):
                return None, False
            union: set[str] = set()
            for ids, _ in parts:
                union |= ids or set()
            return union, all(exact for _, exact in parts)
        known = sorted((ids for ids, _ in parts if ids is not None), key=len)
        result = set(known[0]).intersection(*known[1:]) if known else None
        # rows of one filter must match together: exact only when there is one row per record
        single_row = f.kind == "conversation" or len(parts) == 1
        return result, single_row and all(exact for _, exact in parts)

    def _plan_predicate(self, kind: str, p: Predicate) -> tuple[set[str] | None, bool]:
        if kind == "conversation" and p.key == "conversationId" and p.value is not None:
            return ({p.value} if p.value in self._entries else set()), True
        if kind == "conversation" and p.key == "conversationEnd" and p.operator != "matches":
            live = set(self._live)
            if p.operator == "notExists":
                return live, True
            return None, False
        if p.operator == "matches" and p.value is not None:
            dims = _SEGMENT_INDEXED if kind == "segment" else _CONVERSATION_INDEXED
            if kind in ("segment", "conversation") and p.key in dims:
                self._post(p.key)
                return self._postings.get((p.key, p.value), set()), True
        return None, False

    def _passes(self, e: _Entry, filters: Sequence[Filter]) -> bool:
        light = [f for f in filters if f.kind == "conversation" and _no_metrics(f)]
        if any(not f.test(self._row(e)) for f in light):
            return False
        heavy = [f for f in filters if f not in light]
        return not heavy or matches(orjson.loads(self._blob(e)), heavy)

    # -- aggregates ------------------------------------------------------------------------
    def aggregate(self, q: AggregateQuery) -> dict[str, Any]:
        """``ConversationAggregateQueryResponse`` over every record active in the interval."""
        window = DetailQuery(q.start, q.end, job=True)
        self._read(window)
        entries = self._select(window, None)
        return aggregate_records((orjson.loads(self._blob(e)) for e in entries), q)


def _merge(order: list[tuple[int, str]], items: list[tuple[int, str]]) -> None:
    """Insert ``items`` into the sorted list ``order``: one by one when few, else by one sort
    (two sorted runs, which the sort merges in linear time)."""
    if len(items) <= _BATCH:
        for item in items:
            bisect.insort(order, item)
    else:
        items.sort()
        order += items
        order.sort()


def _no_metrics(f: Filter) -> bool:
    return all(p.key in CONVERSATION_DIMENSIONS for p in f.predicates) and all(
        _no_metrics(c) for c in f.clauses
    )
