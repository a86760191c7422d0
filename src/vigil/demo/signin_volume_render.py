"""Rows to JSON lines: Microsoft Graph ``signIn`` objects (Entra ID) or Okta System Log ``LogEvent``s.

Speed matters (ten million events should take seconds per million), so nothing is serialised per
event: every part of an event that depends on one table entry (the user, the app, the network, the
user agent, the kind of event) is a JSON fragment made once with orjson, and an event is the join of
its fragments with its id, time and request ids. The Entra shape is the demo's (``vigil.demo.signins``:
same fields, app ids, failure reasons and MFA details); the Okta shape follows real System Log events
(``actor``, ``client`` with ``geographicalContext``, ``authenticationContext``, ``outcome``,
``securityContext``, ``debugContext``, ``transaction``, ``request.ipChain``, ``target``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import orjson

from vigil.demo.signin_volume_org import (
    APP_LIST,
    AS_OWNERS,
    CLIENTS,
    COUNTRY_NAMES,
    MFA_METHODS,
    OKTA_FACTORS,
    OKTA_INTERFACE,
    OKTA_ORG,
    TENANT_ID,
    Org,
    okta_user_id,
    stable_id,
)
from vigil.demo.signin_volume_rows import KINDS, WRITTEN, K, Rows, take
from vigil.demo.signins import APPS, REASONS, RESOURCES

BATCH = 50_000
LEGACY_CLIENTS = frozenset(OKTA_INTERFACE)

ENTRA_CODES = {
    "success": 0,
    "success_app": 0,
    "bad_password": 50126,
    "unknown_user": 50034,
    "locked": 50053,
    "mfa_required": 50074,
    "mfa_denied": 500121,
    "mfa_timeout": 500121,
    "mfa_register": 0,
}
ENTRA_DETAILS = {
    "mfa_denied": "MFA denied; user declined the authentication",
    "mfa_timeout": "The user didn't complete the MFA prompt. They may have decided not to authenticate, "
    "timed out while doing other work, or has an issue with their authentication setup.",
}


def _frag(obj: dict[str, Any]) -> bytes:
    """``{"a":1,"b":2}`` as ``"a":1,"b":2,`` (to be joined into an object)."""
    return orjson.dumps(obj)[1:-1] + b","


_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)
Chars = np.ndarray  # (n, width) uint8: one fixed-width ASCII field per row


def uuids(rng: np.random.Generator, n: int) -> Chars:
    """``n`` random version-4 UUIDs, drawn as one array."""
    nibbles = rng.integers(0, 16, size=(n, 32), dtype=np.uint8)
    nibbles[:, 12] = 4
    nibbles[:, 16] = 8 + (nibbles[:, 16] & 3)
    chars = _HEX[nibbles]
    out = np.full((n, 36), ord("-"), np.uint8)
    for dst, src, width in ((0, 0, 8), (9, 8, 4), (14, 12, 4), (19, 16, 4), (24, 20, 12)):
        out[:, dst : dst + width] = chars[:, src : src + width]
    return out


def hex_chars(rng: np.random.Generator, n: int, width: int) -> Chars:
    return _HEX[rng.integers(0, 16, size=(n, width), dtype=np.uint8)]


def time_chars(t_ms: np.ndarray, unit: str) -> Chars:
    """ISO 8601 times without the zone, to the second (``unit="s"``) or millisecond."""
    width = 23 if unit == "ms" else 19
    text = np.datetime_as_string(t_ms.astype("datetime64[ms]").astype(f"datetime64[{unit}]"))
    return np.ascontiguousarray(text.astype(f"S{width}")).view(np.uint8).reshape(len(t_ms), width)


def fixed(n: int, *parts: bytes | Chars) -> list[bytes]:
    """One bytes object per row: constants and per-row fields of fixed width, laid side by side."""
    width = sum(len(p) if isinstance(p, bytes) else p.shape[1] for p in parts)
    out = np.empty((n, width), np.uint8)
    at = 0
    for p in parts:
        w = len(p) if isinstance(p, bytes) else p.shape[1]
        out[:, at : at + w] = np.frombuffer(p, np.uint8) if isinstance(p, bytes) else p
        at += w
    return out.view(f"S{width}").ravel().tolist()


class Writer:
    """Turns rows into JSON lines of one format; fragments are made once per organisation."""

    fmt = ""

    def __init__(self, org: Org) -> None:
        self.org = org
        n_users = len(org.upns)
        self.user_mfa = np.zeros(n_users, np.int8)
        self.user_mfa[: org.n_real] = org.mfa != 0

    def lines(self, rows: Rows, ids: list[str], rng: np.random.Generator) -> Iterator[tuple[int, bytes]]:
        """The JSON lines of ``rows`` (sorted, filtered to the kinds this format writes), in batches of
        (number of lines, bytes). Planted rows get their pre-assigned ids, the others random ones."""
        keep = np.isin(rows["kind"], np.fromiter(WRITTEN[self.fmt], np.int8))
        rows = take(rows, np.flatnonzero(keep))
        for lo in range(0, len(rows["t"]), BATCH):
            part = {c: v[lo : lo + BATCH] for c, v in rows.items()}
            n = len(part["t"])
            event_ids = uuids(rng, n)
            for i in np.flatnonzero(part["planted"] >= 0).tolist():
                event_ids[i] = np.frombuffer(ids[int(part["planted"][i])].encode(), np.uint8)
            yield n, self.render(part, event_ids, rng)

    def render(self, rows: Rows, ids: Chars, rng: np.random.Generator) -> bytes:
        raise NotImplementedError


class EntraWriter(Writer):
    """Graph ``signIn`` objects, with the demo's fields (in another order: JSON objects have none)."""

    fmt = "entra"

    def __init__(self, org: Org) -> None:
        super().__init__(org)
        self.n_agents = n_agents = len(org.agents)
        self.users = [
            _frag(
                {
                    "userDisplayName": name,
                    "userPrincipalName": upn,
                    "userId": stable_id("user", upn) if exists else "00000000-0000-0000-0000-000000000000",
                }
            )
            for upn, name, exists in zip(org.upns, org.names, org.exists, strict=True)
        ]
        apps = [
            _frag(
                {
                    "appId": APPS[a.entra],
                    "appDisplayName": a.entra,
                    "resourceDisplayName": RESOURCES[a.entra],
                    "resourceId": APPS[a.entra]
                    if a.entra != "Microsoft Office"
                    else "00000003-0000-0000-c000-000000000000",
                    "resourceTenantId": TENANT_ID,
                    "homeTenantId": TENANT_ID,
                }
            )
            for a in APP_LIST
        ]
        clients = [_frag({"clientAppUsed": c, "userAgent": a.raw}) for c in CLIENTS for a in org.agents]
        self.app_clients = [a + c for a in apps for c in clients]  # (app, client, agent)
        self.wheres = [
            _frag(
                {
                    "ipAddress": w.ip,
                    "autonomousSystemNumber": w.asn,
                    "location": {
                        "city": w.place.city,
                        "state": w.place.state,
                        "countryOrRegion": w.place.country,
                        "geoCoordinates": {
                            "altitude": None,
                            "latitude": w.place.lat,
                            "longitude": w.place.lon,
                        },
                    },
                }
            )
            for w in org.wheres
        ]
        unmanaged = [
            _frag(
                {
                    "deviceDetail": {
                        "deviceId": "",
                        "displayName": "",
                        "operatingSystem": a.entra_os,
                        "browser": a.entra_browser,
                        "isCompliant": False,
                        "isManaged": False,
                        "trustType": "",
                    }
                }
            )
            for a in org.agents
        ]
        managed = []
        for u, upn in enumerate(org.upns):
            agent = org.agents[int(org.device[u])] if u < org.n_real else org.agents[0]
            managed.append(
                _frag(
                    {
                        "deviceDetail": {
                            "deviceId": stable_id("device", upn),
                            "displayName": f"CC-{int(stable_id('tag', upn)[:4], 16) % 9000 + 1000}-WS",
                            "operatingSystem": agent.entra_os,
                            "browser": agent.entra_browser,
                            "isCompliant": True,
                            "isManaged": True,
                            "trustType": "Hybrid Azure AD joined",
                        }
                    }
                )
            )
        self.devices = unmanaged + managed  # an agent's, or (n_agents + user) for the user's managed PC
        self.kinds = [self._kind(k, m, um) for k in range(len(KINDS)) for m in range(4) for um in range(2)]
        self._shape = (len(CLIENTS), n_agents)

    @staticmethod
    def _kind(kind: int, mfa: int, user_mfa: int) -> bytes:
        """The outcome fragment (status, MFA, requirement), closing the event."""
        name = KINDS[kind]
        code = ENTRA_CODES.get(name, 0)
        interactive = name != "success_app"
        if code == 0 and mfa:
            requirement = "multiFactorAuthentication"
            detail: dict[str, Any] | None = {"authMethod": MFA_METHODS[mfa], "authDetail": None}
        elif code in (500121, 50074) or (user_mfa and code == 0):
            requirement = "multiFactorAuthentication"
            detail = {"authMethod": MFA_METHODS[mfa or 1], "authDetail": None} if code == 500121 else None
        else:
            requirement = "singleFactorAuthentication"
            detail = None
        return (
            orjson.dumps(
                {
                    "conditionalAccessStatus": "notApplied" if code in (50126, 50034, 50053) else "success",
                    "isInteractive": interactive,
                    "tokenIssuerType": "AzureAD",
                    "signInEventTypes": ["interactiveUser" if interactive else "nonInteractiveUser"],
                    "authenticationRequirement": requirement,
                    "riskDetail": "hidden",
                    "riskLevelAggregated": "hidden",
                    "riskLevelDuringSignIn": "hidden",
                    "riskState": "none",
                    "riskEventTypes_v2": [],
                    "status": {
                        "errorCode": code,
                        "failureReason": REASONS.get(code, REASONS[0]),
                        "additionalDetails": ENTRA_DETAILS.get(name),
                    },
                    "mfaDetail": detail,
                    "appliedConditionalAccessPolicies": [],
                }
            )[1:]
            + b"\n"
        )

    def render(self, rows: Rows, ids: Chars, rng: np.random.Generator) -> bytes:
        n = len(rows["t"])
        n_clients, n_agents = self._shape
        legacy = np.isin(rows["client"], list(LEGACY_CLIENTS))
        user_mfa = self.user_mfa[rows["user"]] & ~legacy
        combo = ((rows["kind"].astype(np.int32) * 4 + rows["mfa"]) * 2 + user_mfa).tolist()
        app_client = (
            (rows["app"].astype(np.int32) * n_clients + rows["client"]) * n_agents + rows["agent"]
        ).tolist()
        device = np.where(rows["managed"], n_agents + rows["user"], rows["agent"]).tolist()
        head = fixed(
            n,
            b'{"id":"',
            ids,
            b'","createdDateTime":"',
            time_chars(rows["t"], "s"),
            b'Z","correlationId":"',
            uuids(rng, n),
            b'",',
        )
        users, app_clients, wheres, devices, kinds = (
            self.users,
            self.app_clients,
            self.wheres,
            self.devices,
            self.kinds,
        )
        out: list[bytes] = []
        add = out.extend
        for h, u, ac, w, d, k in zip(
            head, rows["user"].tolist(), app_client, rows["where"].tolist(), device, combo, strict=True
        ):
            add((h, users[u], app_clients[ac], wheres[w], devices[d], kinds[k]))
        return b"".join(out)


#: Okta event per kind: (eventType, legacyEventType, displayMessage, result, reason, severity).
OKTA_EVENTS: dict[str, tuple[str, str | None, str, str, str | None, str]] = {
    "success": (
        "user.session.start",
        "core.user_auth.login_success",
        "User login to Okta",
        "SUCCESS",
        None,
        "INFO",
    ),
    "success_app": (
        "user.authentication.sso",
        "app.auth.sso",
        "User single sign on to app",
        "SUCCESS",
        None,
        "INFO",
    ),
    "bad_password": (
        "user.session.start",
        "core.user_auth.login_failed",
        "User login to Okta",
        "FAILURE",
        "INVALID_CREDENTIALS",
        "WARN",
    ),
    "unknown_user": (
        "user.session.start",
        "core.user_auth.login_failed",
        "User login to Okta",
        "FAILURE",
        "VERIFICATION_ERROR",
        "WARN",
    ),
    "locked": (
        "user.session.start",
        "core.user_auth.login_failed",
        "User login to Okta",
        "FAILURE",
        "LOCKED_OUT",
        "WARN",
    ),
    "lock": (
        "user.account.lock",
        "core.user_auth.account_locked",
        "Max sign in attempts exceeded",
        "FAILURE",
        "LOCKED_OUT",
        "WARN",
    ),
    "mfa_required": (
        "policy.evaluate_sign_on",
        None,
        "Evaluation of sign-on policy",
        "CHALLENGE",
        "Sign-on policy evaluation resulted in CHALLENGE",
        "INFO",
    ),
    "mfa_push": (
        "system.push.send_factor_verify_push",
        None,
        "Push notification sent for verification",
        "SUCCESS",
        None,
        "INFO",
    ),
    "mfa_denied": (
        "user.mfa.okta_verify.deny_push",
        "core.user.factor.push_deny",
        "User rejected Okta push verify",
        "FAILURE",
        "User rejected Okta push verify",
        "WARN",
    ),
    "mfa_ok": (
        "user.authentication.auth_via_mfa",
        "core.user.factor.attempt_success",
        "Authentication of user via MFA",
        "SUCCESS",
        None,
        "INFO",
    ),
    "mfa_register": (
        "user.mfa.factor.activate",
        "core.user.factor.activate",
        "Activate factor or authenticator",
        "SUCCESS",
        None,
        "INFO",
    ),
    "password_reset": (
        "user.account.update_password",
        "core.user.config.password_update.success",
        "User update password for Okta",
        "SUCCESS",
        None,
        "INFO",
    ),
}
OKTA_RICH_CLIENT = (
    "user.authentication.auth_via_richclient",
    "core.user_auth.login_success",
    "Authentication of user via Rich Client",
)
OKTA_URIS = {
    "success": "/idp/idx/challenge/answer",
    "success_app": "/app/office365/sso/wsfed/passive",
    "mfa_push": "/idp/idx/authenticators/poll",
    "mfa_denied": "/idp/idx/authenticators/poll",
    "mfa_ok": "/idp/idx/authenticators/poll",
    "mfa_register": "/idp/idx/credential/enroll",
    "password_reset": "/idp/idx/challenge/answer",
}


class OktaWriter(Writer):
    """System Log ``LogEvent`` objects of the sign-in family (and the factor and password events)."""

    fmt = "okta"

    def __init__(self, org: Org) -> None:
        super().__init__(org)
        self.actors = [
            _frag(
                {
                    "actor": {
                        "id": okta_user_id(upn) if exists else "unknown",
                        "type": "User",
                        "alternateId": upn,
                        "displayName": name if exists else "unknown",
                        "detailEntry": None,
                    }
                }
            )
            for upn, name, exists in zip(org.upns, org.names, org.exists, strict=True)
        ]
        self.agents = [
            b'"client":{'
            + _frag(
                {
                    "userAgent": {
                        "rawUserAgent": a.raw or "unknown",
                        "os": a.okta_os,
                        "browser": a.okta_browser,
                    },
                    "zone": "null",
                    "device": a.okta_device,
                    "id": None,
                }
            )
            for a in org.agents
        ]
        self.wheres = []
        for w in org.wheres:
            geo = {
                "city": w.place.city,
                "state": w.place.state,
                "country": COUNTRY_NAMES.get(w.place.country, w.place.country),
                "postalCode": None,
                "geolocation": {"lat": w.place.lat, "lon": w.place.lon},
            }
            as_org, isp, domain = AS_OWNERS.get(w.asn, (f"AS{w.asn}", f"AS{w.asn}", ""))
            self.wheres.append(
                _frag({"ipAddress": w.ip, "geographicalContext": geo})[:-1]
                + b"},"
                + _frag(
                    {
                        "device": None,
                        "securityContext": {
                            "asNumber": w.asn,
                            "asOrg": as_org,
                            "isp": isp,
                            "domain": domain,
                            "isProxy": False,
                        },
                        "request": {
                            "ipChain": [
                                {"ip": w.ip, "geographicalContext": geo, "version": "V4", "source": None}
                            ]
                        },
                    }
                )
            )
        self.targets = [
            orjson.dumps(
                {
                    "target": [
                        {
                            "id": "0oa" + stable_id("app", a.okta).replace("-", "")[:17],
                            "type": "AppInstance",
                            "alternateId": a.okta,
                            "displayName": a.okta,
                            "detailEntry": {"signOnModeType": "SAML_2_0"},
                        }
                    ]
                }
            )[1:]
            + b"\n"
            for a in APP_LIST
        ]
        self.targets.append(b'"target":null}\n')
        self.n_clients = len(CLIENTS)
        self.middles = [
            self._middle(k, legacy, m, c)
            for k in range(len(KINDS))
            for legacy in range(2)
            for m in range(4)
            for c in range(len(CLIENTS))
        ]

    @staticmethod
    def _middle(kind: int, legacy: int, mfa: int, client: int) -> bytes:
        """After ``requestId``: the rest of debugData, the event type and outcome, the authentication
        context up to its session id."""
        name = KINDS[kind]
        if name not in OKTA_EVENTS:
            return b""
        event_type, legacy_type, message, result, reason, severity = OKTA_EVENTS[name]
        if legacy and name in ("success", "bad_password"):
            event_type, legacy_type, message = OKTA_RICH_CLIENT
            if name == "bad_password":
                legacy_type = "core.user_auth.login_failed"
        uri = OKTA_URIS.get(name, "/idp/idx/identify")
        debug: dict[str, Any] = {
            "requestUri": uri,
            "url": uri + "?",
            "origin": OKTA_ORG,
            "threatSuspected": "false",
        }
        if name in ("mfa_ok", "mfa_push", "mfa_denied", "mfa_register") and mfa:
            debug["factor"] = OKTA_FACTORS[mfa]
        auth = {
            "authenticationProvider": None if client in LEGACY_CLIENTS else "OKTA_AUTHENTICATION_PROVIDER",
            "credentialProvider": "OKTA_CREDENTIAL_PROVIDER" if name.startswith("mfa") else None,
            "credentialType": "PASSWORD",
            "issuer": None,
            "interface": OKTA_INTERFACE.get(client),
            "authenticationStep": 0,
        }
        return (
            orjson.dumps(debug)[1:-1]
            + b"}},"
            + _frag(
                {
                    "eventType": event_type,
                    "version": "0",
                    "severity": severity,
                    "legacyEventType": legacy_type,
                    "displayMessage": message,
                    "outcome": {"result": result, "reason": reason},
                }
            )
            + b'"authenticationContext":'
            + orjson.dumps(auth)[:-1]
            + b',"externalSessionId":"'
        )

    def render(self, rows: Rows, ids: Chars, rng: np.random.Generator) -> bytes:
        n = len(rows["t"])
        legacy = np.isin(rows["client"], list(LEGACY_CLIENTS)).astype(np.int32)
        middle = (
            ((rows["kind"].astype(np.int32) * 2 + legacy) * 4 + rows["mfa"]) * self.n_clients + rows["client"]
        ).tolist()
        request = hex_chars(rng, n, 20)
        head = fixed(
            n,
            b'{"uuid":"',
            ids,
            b'","published":"',
            time_chars(rows["t"], "ms"),
            b'Z","transaction":{"type":"WEB","id":"',
            request,
            b'","detail":{}},"debugContext":{"debugData":{"requestId":"',
            request,
            b'",',
        )
        session = fixed(n, b"idx", hex_chars(rng, n, 22), b'"},')
        sso = rows["kind"] == K["success_app"]
        target = np.where(sso, rows["app"].astype(np.int32), len(self.targets) - 1).tolist()
        actors, agents, wheres, targets, middles = (
            self.actors,
            self.agents,
            self.wheres,
            self.targets,
            self.middles,
        )
        out: list[bytes] = []
        add = out.extend
        for h, mid, sid, u, g, w, tg in zip(
            head,
            middle,
            session,
            rows["user"].tolist(),
            rows["agent"].tolist(),
            rows["where"].tolist(),
            target,
            strict=True,
        ):
            add((h, middles[mid], sid, actors[u], agents[g], wheres[w], targets[tg]))
        return b"".join(out)


def writer(fmt: str, org: Org) -> Writer:
    return {"entra": EntraWriter, "okta": OktaWriter}[fmt](org)
