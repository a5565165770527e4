"""What an analytics query may name: the dimensions and metrics of each filter family (read
off the SDK 269 predicate models), the page sizes, and :class:`QueryError` with the two checks
every parser starts with (a value's JSON type, an object's keys)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AGGREGATE_DIMENSIONS",
    "AGGREGATE_KIND",
    "CONVERSATION_DIMENSIONS",
    "CONVERSATION_METRICS",
    "DAY_MS",
    "DEFAULT_PAGE_SIZE",
    "KINDS",
    "MAX_PAGE_SIZE",
    "PROPERTY_TYPES",
    "RECORD_LISTS",
    "SEGMENT_DIMENSIONS",
    "Kind",
    "QueryError",
    "check_keys",
    "require",
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
PROPERTY_TYPES = _words("bool integer real date string uuid")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class Kind:
    """What the predicates of one filter family may name, and which record list they test."""

    name: str
    model: str
    dimensions: frozenset[str]
    metrics: frozenset[str]
    properties: bool = False


KINDS = {
    "segmentFilters": Kind(
        "segment",
        "SegmentDetailQueryPredicate",
        SEGMENT_DIMENSIONS,
        _words("tSegmentDuration"),
        True,
    ),
    "conversationFilters": Kind(
        "conversation",
        "ConversationDetailQueryPredicate",
        CONVERSATION_DIMENSIONS,
        CONVERSATION_METRICS,
    ),
    "evaluationFilters": Kind(
        "evaluation",
        "EvaluationDetailQueryPredicate",
        _EVALUATION_DIMENSIONS,
        _words("oTotalCriticalScore oTotalScore"),
    ),
    "surveyFilters": Kind(
        "survey", "SurveyDetailQueryPredicate", _SURVEY_DIMENSIONS, _words("oSurveyTotalScore")
    ),
    "resolutionFilters": Kind(
        "resolution", "ResolutionDetailQueryPredicate", frozenset(), _words("nNextContactAvoided")
    ),
}
AGGREGATE_KIND = Kind(
    "aggregate", "ConversationAggregateQueryPredicate", AGGREGATE_DIMENSIONS, frozenset()
)
RECORD_LISTS = {"evaluation": "evaluations", "survey": "surveys", "resolution": "resolutions"}


class QueryError(ValueError):
    """An invalid query; ``field`` is the JSON path of the offending part (for the 400 body)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def require(obj: Any, kind: type, path: str, what: str) -> Any:
    """``obj`` if it is a ``kind`` (a bool is no number), else a :class:`QueryError` at ``path``."""
    if not isinstance(obj, kind) or (isinstance(obj, bool) and kind is not bool):
        raise QueryError(path, f"must be {what}")
    return obj


def check_keys(obj: Mapping[str, Any], allowed: Iterable[str], path: str, model: str) -> None:
    """Refuse the first key of ``obj`` that ``model`` does not have, listing those it has."""
    allowed = set(allowed)
    for key in obj:
        if key not in allowed:
            raise QueryError(
                f"{path}.{key}" if path else key,
                f"is not a field of {model}; valid fields: {', '.join(sorted(allowed))}",
            )
