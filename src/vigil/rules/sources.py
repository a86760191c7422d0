"""The sign-in log sources that Sigma rules may name, and how their fields map onto the ``signins`` table.

A Sigma rule names the fields of the source log (Entra's ``ResultType``, Okta's ``outcome.result``, ...);
vigil stores every sign-in normalized (``vigil.schema.SIGNINS``). Each source below lists, for the
source fields that have a normalized equivalent, the column that holds it, and, where the stored value
differs from the source's, how a rule's value translates (Entra ``ResultType`` 0 is ``result =
'success'``; Okta ``outcome.result`` DENY is ``result = 'failure'``). A field that is not listed has no
equivalent, and a rule that uses it is refused, naming the field: a condition is never dropped.

Field names are matched without regard to case (SigmaHQ's rules spell ``ResultType``, ``resultType`` and
``Resultdescription``; Okta exports lower-case ``eventtype``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from vigil.ingest.signins.google import LOGIN_EVENTS
from vigil.ingest.signins.okta import NOT_SIGNINS, SIGNIN_EVENT_TYPES


@dataclass(frozen=True)
class SourceField:
    """Where a source field lives in ``signins``.

    ``values`` translates a rule's exact values (lower-cased) into ``(column, stored value)``; a value
    that is not there goes to ``column`` unchanged when ``passthrough`` is set, and is refused otherwise.
    ``accept`` refuses exact values that vigil never stores (an Okta event type that is not a sign-in).
    """

    column: str
    values: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    passthrough: bool = True
    numeric: bool = False
    accept: Callable[[str], bool] | None = None
    note: str = ""


@dataclass(frozen=True)
class LogSource:
    """A Sigma ``logsource`` that vigil runs, the ``format`` of its rows and its field map."""

    name: str
    product: str
    services: tuple[str, ...]
    format: str
    fields: Mapping[str, SourceField]
    strip_prefixes: tuple[str, ...] = ()

    def lookup(self, name: str) -> SourceField | None:
        key = name.lower()
        for prefix in self.strip_prefixes:
            if key.startswith(prefix):
                key = key[len(prefix) :]
        return self.fields.get(key)

    @property
    def logsources(self) -> list[str]:
        return [f"product: {self.product}, service: {s}" for s in self.services]


def _index(entries: Iterable[tuple[Iterable[str], SourceField]]) -> dict[str, SourceField]:
    out: dict[str, SourceField] = {}
    for names, spec in entries:
        for name in names:
            out[name.lower()] = spec
    return out


# -- Microsoft Entra ID ------------------------------------------------------------------------------

#: ``ResultType`` / ``Status.errorCode``: 0 is a success; every other code is kept as ``error_code``.
_ENTRA_CODE = SourceField("error_code", values={"0": ("result", "success")})

ENTRA = LogSource(
    name="entra",
    product="azure",
    services=("signinlogs",),
    format="entra",
    # The diagnostic-settings export nests the same fields under ``properties``.
    strip_prefixes=("properties.",),
    fields=_index(
        [
            (["UserPrincipalName"], SourceField("user")),
            (["UserDisplayName"], SourceField("user_display")),
            (["IPAddress", "CallerIpAddress"], SourceField("src_ip")),
            (["ResultType", "Status.errorCode"], _ENTRA_CODE),
            (["ResultDescription", "Status.failureReason"], SourceField("failure_reason")),
            (
                ["Location", "LocationDetails.countryOrRegion", "Location.countryOrRegion"],
                SourceField("country"),
            ),
            (["LocationDetails.city", "Location.city"], SourceField("city")),
            (
                ["LocationDetails.geoCoordinates.latitude", "Location.geoCoordinates.latitude"],
                SourceField("latitude", numeric=True),
            ),
            (
                ["LocationDetails.geoCoordinates.longitude", "Location.geoCoordinates.longitude"],
                SourceField("longitude", numeric=True),
            ),
            (["AutonomousSystemNumber"], SourceField("asn", numeric=True)),
            (["UserAgent"], SourceField("user_agent")),
            (["ClientAppUsed"], SourceField("client_app")),
            (["AppDisplayName"], SourceField("application")),
            (["ResourceTenantId"], SourceField("tenant")),
            (["Id"], SourceField("event_id")),
            (["MfaDetail.authMethod"], SourceField("mfa_detail")),
            (
                ["AuthenticationRequirement"],
                SourceField(
                    "mfa_detail",
                    values={"singlefactorauthentication": ("mfa_detail", "singleFactorAuthentication")},
                    passthrough=False,
                    note="vigil keeps the MFA method of a multi-factor sign-in (MfaDetail.authMethod), "
                    "not the requirement",
                ),
            ),
            (
                ["IsInteractive"],
                SourceField(
                    "event_type",
                    values={
                        "true": ("event_type", "sign-in"),
                        "false": ("event_type", "sign-in.noninteractive"),
                    },
                    passthrough=False,
                ),
            ),
        ]
    ),
)


# -- Okta System Log ---------------------------------------------------------------------------------

_OKTA_KEPT = {t.lower() for t in SIGNIN_EVENT_TYPES}
_OKTA_NOT = {t.lower() for t in NOT_SIGNINS}


def _okta_signin_event(value: str) -> bool:
    return value in _OKTA_KEPT or (value.startswith("user.authentication.") and value not in _OKTA_NOT)


_OKTA_OUTCOMES = {
    "success": ("result", "success"),
    "allow": ("result", "success"),
    "failure": ("result", "failure"),
    "deny": ("result", "failure"),
    "rejected": ("result", "failure"),
    "challenge": ("result", "interrupted"),
}

OKTA = LogSource(
    name="okta",
    product="okta",
    services=("okta",),
    format="okta",
    fields=_index(
        [
            (
                ["eventType"],
                SourceField(
                    "event_type",
                    accept=_okta_signin_event,
                    note="vigil keeps the authentication events of the System Log "
                    "(user.authentication.*, user.session.start, user.mfa.okta_verify.deny_push, "
                    "user.account.lock, ...)",
                ),
            ),
            (["actor.alternateId"], SourceField("user")),
            (["actor.displayName"], SourceField("user_display")),
            (
                ["outcome.result"],
                SourceField(
                    "result",
                    values=_OKTA_OUTCOMES,
                    passthrough=False,
                    note="outcomes are stored as success, failure or interrupted",
                ),
            ),
            (["outcome.reason"], SourceField("failure_reason")),
            (["client.ipAddress"], SourceField("src_ip")),
            (["client.geographicalContext.country"], SourceField("country")),
            (["client.geographicalContext.city"], SourceField("city")),
            (["client.geographicalContext.geolocation.lat"], SourceField("latitude", numeric=True)),
            (["client.geographicalContext.geolocation.lon"], SourceField("longitude", numeric=True)),
            (["securityContext.asNumber"], SourceField("asn", numeric=True)),
            (["client.userAgent.rawUserAgent"], SourceField("user_agent")),
            (["authenticationContext.authenticationProvider"], SourceField("protocol")),
            (["debugContext.debugData.factor"], SourceField("mfa_detail")),
            (["uuid"], SourceField("event_id")),
        ]
    ),
)


# -- Google Workspace login audit ----------------------------------------------------------------------

_GOOGLE_EVENTS = {e.lower() for e in LOGIN_EVENTS}


def _parameter(name: str) -> list[str]:
    """A login event parameter as a rule may spell it: bare, under ``parameters`` or ``events.parameters``."""
    return [name, f"parameters.{name}", f"events.parameters.{name}"]


GOOGLE = LogSource(
    name="google",
    product="gcp",
    services=("google_workspace.login", "google_workspace.admin"),
    format="google",
    fields=_index(
        [
            (
                ["eventName", "name", "events.name"],
                SourceField(
                    "event_type",
                    accept=_GOOGLE_EVENTS.__contains__,
                    note=f"vigil keeps Google's login events ({', '.join(LOGIN_EVENTS)})",
                ),
            ),
            (
                ["eventService"],
                SourceField(
                    "format",
                    values={"login.googleapis.com": ("format", "google")},
                    passthrough=False,
                    note="vigil's sign-ins hold Google's login audit only",
                ),
            ),
            (["actor.email"], SourceField("user")),
            (["ipAddress"], SourceField("src_ip")),
            (["id.customerId"], SourceField("tenant")),
            (["id.uniqueQualifier"], SourceField("event_id")),
            (_parameter("login_type"), SourceField("protocol")),
            (_parameter("login_failure_type"), SourceField("failure_reason")),
            (_parameter("login_challenge_method"), SourceField("mfa_detail")),
            (_parameter("application_name"), SourceField("application")),
            (["networkInfo.regionCode"], SourceField("country")),
        ]
    ),
)

SOURCES: tuple[LogSource, ...] = (ENTRA, OKTA, GOOGLE)


def source_for(product: str | None, service: str | None) -> LogSource | None:
    """The log source a rule's ``logsource`` names, or None when vigil has no such sign-in log."""
    for source in SOURCES:
        if (product or "").lower() == source.product and (service or "").lower() in source.services:
            return source
    return None


def supported_logsources() -> str:
    return "; ".join(ls for s in SOURCES for ls in s.logsources)
