"""Small sign-in events in each vendor's shape, for the adapter tests (written from the vendors'
documented schemas; no real data)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evtx_writer import Event, write_evtx

ENTRA_LA_FAIL: dict[str, Any] = {
    "TenantId": "la-workspace-1",
    "SourceSystem": "Azure AD",
    "TimeGenerated": "2024-09-12T02:10:33.123Z",
    "OperationName": "Sign-in activity",
    "Category": "SignInLogs",
    "ResultType": "50126",
    "ResultDescription": "Invalid username or password or Invalid on-premise username or password.",
    "Id": "la-1",
    "UserPrincipalName": "Jane.Doe@CalderCounty.gov",
    "UserDisplayName": "Jane Doe",
    "IPAddress": "185.220.101.4",
    "Location": "DE",
    "LocationDetails": {
        "city": "Frankfurt am Main",
        "state": "Hesse",
        "countryOrRegion": "DE",
        "geoCoordinates": {"latitude": 50.11, "longitude": 8.68},
    },
    "AppDisplayName": "Office 365 Exchange Online",
    "ClientAppUsed": "IMAP4",
    "UserAgent": "python-requests/2.31",
    "AuthenticationRequirement": "singleFactorAuthentication",
    "DeviceDetail": {"operatingSystem": "Linux", "browser": "Python Requests 2.31"},
    "Status": {"errorCode": 50126, "failureReason": "Invalid username or password."},
    "AutonomousSystemNumber": "205100",
    "AADTenantId": "aad-tenant-1",
    "IsInteractive": "true",
    "Type": "SigninLogs",
}
# As `az monitor log-analytics query` writes it: dynamic columns are JSON strings.
ENTRA_LA_OK: dict[str, Any] = {
    **ENTRA_LA_FAIL,
    "Id": "la-2",
    "TimeGenerated": "2024-09-12T02:20:00Z",
    "ResultType": "0",
    "ResultDescription": "",
    "ClientAppUsed": "Browser",
    "Category": "NonInteractiveUserSignInLogs",
    "Type": "AADNonInteractiveUserSignInLogs",
    "LocationDetails": json.dumps(
        {
            "city": "Springfield",
            "countryOrRegion": "US",
            "geoCoordinates": {"latitude": 39.8, "longitude": -89.6},
        }
    ),
    "Status": json.dumps({"errorCode": 0}),
    "MfaDetail": json.dumps({"authMethod": "Mobile app notification"}),
    "DeviceDetail": json.dumps({"displayName": "LAPTOP-1", "operatingSystem": "Windows 10"}),
}

OKTA_FAIL: dict[str, Any] = {
    "uuid": "okta-1",
    "published": "2024-09-12T02:10:33.000Z",
    "eventType": "user.session.start",
    "displayMessage": "User login to Okta",
    "actor": {
        "id": "00u1",
        "type": "User",
        "alternateId": "Jane.Doe@CalderCounty.gov",
        "displayName": "Jane Doe",
    },
    "client": {
        "userAgent": {"rawUserAgent": "Mozilla/5.0 (X11; Linux x86_64)", "os": "Linux", "browser": "CHROME"},
        "zone": "null",
        "device": "Computer",
        "ipAddress": "185.220.101.4",
        "geographicalContext": {
            "city": "Frankfurt am Main",
            "state": "Hesse",
            "country": "Germany",
            "postalCode": "60313",
            "geolocation": {"lat": 50.11, "lon": 8.68},
        },
    },
    "outcome": {"result": "FAILURE", "reason": "INVALID_CREDENTIALS"},
    "securityContext": {"asNumber": 205100, "asOrg": "f3 netze e.v.", "isProxy": True},
    "authenticationContext": {
        "authenticationProvider": "OKTA_AUTHENTICATION_PROVIDER",
        "credentialType": "PASSWORD",
        "externalSessionId": "unknown",
    },
    "debugContext": {"debugData": {"requestUri": "/api/v1/authn", "threatSuspected": "true"}},
    "target": None,
}
OKTA_PUSH_DENIED: dict[str, Any] = {
    **OKTA_FAIL,
    "uuid": "okta-2",
    "published": "2024-09-12T02:11:00.000Z",
    "eventType": "user.mfa.okta_verify.deny_push",
    "outcome": {"result": "SUCCESS", "reason": None},
    "debugContext": {"debugData": {"factor": "OKTA_VERIFY_PUSH"}},
}
OKTA_SSO: dict[str, Any] = {
    **OKTA_FAIL,
    "uuid": "okta-3",
    "published": "2024-09-12T02:12:00.000Z",
    "eventType": "user.authentication.sso",
    "outcome": {"result": "SUCCESS"},
    "target": [
        {"id": "0oa1", "type": "AppInstance", "alternateId": "Salesforce", "displayName": "Salesforce.com"},
        {"id": "0ua1", "type": "AppUser", "alternateId": "jane", "displayName": "Jane Doe"},
    ],
}
OKTA_CHALLENGE: dict[str, Any] = {
    **OKTA_FAIL,
    "uuid": "okta-4",
    "published": "2024-09-12T02:13:00.000Z",
    "eventType": "policy.evaluate_sign_on",
    "outcome": {"result": "CHALLENGE", "reason": "Sign-on policy evaluation resulted in CHALLENGE"},
}
OKTA_ADMIN: dict[str, Any] = {
    **OKTA_FAIL,
    "uuid": "okta-5",
    "eventType": "group.user_membership.add",
    "outcome": {"result": "SUCCESS"},
}

GOOGLE_FAILURE: dict[str, Any] = {
    "kind": "admin#reports#activity",
    "id": {
        "time": "2024-09-12T02:10:33.000Z",
        "uniqueQualifier": "-1234567890",
        "applicationName": "login",
        "customerId": "C03az79cb",
    },
    "etag": '"abc"',
    "actor": {"callerType": "USER", "email": "Jane.Doe@caldercounty.org", "profileId": "1001"},
    "ipAddress": "185.220.101.4",
    "networkInfo": {"ipAsn": [205100], "regionCode": "DE", "subdivisionCode": "DE-HE"},
    "events": [
        {
            "type": "login",
            "name": "login_failure",
            "parameters": [
                {"name": "login_type", "value": "google_password"},
                {"name": "login_challenge_method", "multiValue": ["password"]},
                {"name": "login_failure_type", "value": "login_failure_invalid_password"},
                {"name": "is_suspicious", "boolValue": True},
            ],
        }
    ],
}
GOOGLE_SUCCESS: dict[str, Any] = {
    **GOOGLE_FAILURE,
    "id": {**GOOGLE_FAILURE["id"], "time": "2024-09-12T02:15:00.000Z", "uniqueQualifier": "-1234567891"},
    "events": [
        {
            "type": "login",
            "name": "login_success",
            "parameters": [
                {"name": "login_type", "value": "google_password"},
                {"name": "login_challenge_method", "multiValue": ["password", "google_authenticator"]},
                {"name": "is_second_factor", "boolValue": False},
            ],
        }
    ],
}
GOOGLE_WARNING: dict[str, Any] = {
    "kind": "admin#reports#activity",
    "id": {
        "time": "2024-09-12T03:00:00.000Z",
        "uniqueQualifier": "-99",
        "applicationName": "login",
        "customerId": "C03az79cb",
    },
    "actor": {"callerType": "KEY", "key": "SYSTEM"},
    "events": [
        {
            "type": "attack_warning",
            "name": "gov_attack_warning",
            "parameters": [{"name": "affected_email_address", "value": "jane.doe@caldercounty.org"}],
        }
    ],
}
GOOGLE_LOGOUT: dict[str, Any] = {
    **GOOGLE_FAILURE,
    "id": {**GOOGLE_FAILURE["id"], "uniqueQualifier": "-5"},
    "events": [{"type": "logout", "name": "logout"}],
}
GOOGLE_DRIVE: dict[str, Any] = {
    "kind": "admin#reports#activity",
    "id": {"time": "2024-09-12T02:15:00.000Z", "uniqueQualifier": "7", "applicationName": "drive"},
    "actor": {"email": "jane.doe@caldercounty.org"},
    "events": [{"type": "access", "name": "download", "parameters": [{"name": "doc_id", "value": "d1"}]}],
}

OCSF_FAIL: dict[str, Any] = {
    "class_uid": 3002,
    "class_name": "Authentication",
    "category_uid": 3,
    "activity_id": 1,
    "activity_name": "Logon",
    "type_uid": 300201,
    "time": 1726107033000,
    "severity_id": 1,
    "status_id": 2,
    "status": "Failure",
    "status_code": "50126",
    "status_detail": "Invalid username or password.",
    "user": {"name": "Jane.Doe@CalderCounty.gov", "email_addr": "jane.doe@caldercounty.gov", "uid": "u-1"},
    "src_endpoint": {
        "ip": "185.220.101.4",
        "location": {"country": "DE", "city": "Frankfurt am Main", "coordinates": [8.68, 50.11]},
        "autonomous_system": {"number": 205100},
    },
    "http_request": {"user_agent": "python-requests/2.31"},
    "auth_protocol": "OAUTH 2.0",
    "auth_protocol_id": 6,
    "is_mfa": False,
    "service": {"name": "Office 365 Exchange Online"},
    "metadata": {
        "uid": "ocsf-1",
        "version": "1.1.0",
        "product": {"name": "Entra ID", "vendor_name": "Microsoft"},
    },
    "cloud": {"provider": "Azure", "account": {"uid": "aad-tenant-1"}},
}
OCSF_OK: dict[str, Any] = {
    **OCSF_FAIL,
    "status_id": 1,
    "status": "Success",
    "status_code": "0",
    "status_detail": None,
    "time": 1726107100000,
    "is_mfa": True,
    "metadata": {"uid": "ocsf-2"},
}
OCSF_LOGOFF: dict[str, Any] = {
    **OCSF_OK,
    "activity_id": 2,
    "activity_name": "Logoff",
    "metadata": {"uid": "ocsf-3"},
}
OCSF_OTHER_CLASS: dict[str, Any] = {
    "class_uid": 4001,
    "activity_id": 6,
    "time": 1726107100000,
    "metadata": {"uid": "ocsf-4"},
}

WINDOWS_4625: dict[str, Any] = {
    "EventID": 4625,
    "TimeCreated": "2024-09-12 02:10:33.477879+00:00",
    "Computer": "FS01.corp.local",
    "Channel": "Security",
    "EventRecordID": 2455,
    "EventData": {
        "SubjectUserSid": "S-1-0-0",
        "SubjectUserName": "-",
        "SubjectDomainName": "-",
        "TargetUserSid": "S-1-0-0",
        "TargetUserName": "Administrator",
        "TargetDomainName": ".",
        "Status": "0xc000006d",
        "FailureReason": "%%2313",
        "SubStatus": "0xc000006a",
        "LogonType": "3",
        "LogonProcessName": "NtLmSsp ",
        "AuthenticationPackageName": "NTLM",
        "WorkstationName": "KALI",
        "TransmittedServices": "-",
        "LmPackageName": "-",
        "KeyLength": "0",
        "ProcessId": "0x0",
        "ProcessName": "-",
        "IpAddress": "::ffff:185.220.101.4",
        "IpPort": "50249",
    },
}
WINDOWS_4624: dict[str, Any] = {
    **WINDOWS_4625,
    "EventID": 4624,
    "EventRecordID": 2456,
    "TimeCreated": "2024-09-12 02:11:00+00:00",
    "EventData": {
        **WINDOWS_4625["EventData"],
        "TargetUserName": "admmig",
        "TargetDomainName": "CORP",
        "LmPackageName": "NTLM V1",
    },
}
WINDOWS_4768_BAD: dict[str, Any] = {
    "EventID": "4768",
    "TimeCreated": "2024-09-12 02:12:00 +0000",
    "Computer": "DC1.corp.local",
    "EventRecordID": "77",
    "ExtraEventData": {
        "TargetUserName": "ghost",
        "TargetDomainName": "CORP.LOCAL",
        "Status": "0x6",
        "ServiceName": "krbtgt/CORP.LOCAL",
        "IpAddress": "::ffff:10.0.0.9",
    },
}
WINDOWS_4771: dict[str, Any] = {
    "EventID": 4771,
    "TimeCreated": "2024-09-12T02:13:00Z",
    "Computer": "DC1.corp.local",
    "EventData": {
        "TargetUserName": "admmig",
        "ServiceName": "krbtgt/CORP.LOCAL",
        "Status": "0x18",
        "IpAddress": "10.0.0.9",
    },
}
WINDOWS_4688: dict[str, Any] = {
    "EventID": 4688,
    "TimeCreated": "2024-09-12 02:14:00+00:00",
    "Computer": "FS01.corp.local",
    "EventData": {"NewProcessName": "C:\\Windows\\System32\\cmd.exe", "TargetUserName": "-"},
}

# Duo Admin API v2 authentication logs (the documented record shape; values invented).
DUO_APPROVED: dict[str, Any] = {
    "access_device": {
        "browser": "Chrome",
        "hostname": None,
        "ip": "71.178.214.20",
        "location": {"city": "Harrisburg", "country": "United States", "state": "Pennsylvania"},
        "os": "Windows",
    },
    "alias": "",
    "application": {"key": "DIY231J8BR23QK4UKBY8", "name": "Microsoft 365"},
    "auth_device": {"ip": "174.205.18.9", "name": "iPhone (717-555-0142)"},
    "email": "linda.weaver@caldercounty.gov",
    "event_type": "authentication",
    "factor": "duo_push",
    "isotimestamp": "2024-09-23T13:28:00.351346+00:00",
    "reason": "user_approved",
    "result": "success",
    "timestamp": 1727098080,
    "txid": "340a23e3-23f3-23c1-87dc-1491a23dfdbb",
    "user": {
        "groups": ["County staff"],
        "key": "DU3KC77WJ06Y5HIV7XKQ",
        "name": "Linda.Weaver@caldercounty.gov",
    },
}
DUO_FRAUD: dict[str, Any] = {
    **DUO_APPROVED,
    "access_device": {"ip": "185.156.46.112", "location": {"city": "-", "country": "-", "state": "-"}},
    "isotimestamp": None,
    "timestamp": 1727075640,  # 2024-09-23T07:14:00Z
    "reason": "user_marked_fraud",
    "result": "fraud",
    "txid": "9b1d6c0e-7f00-4c11-a5f3-0c3c6c1f2a01",
}
DUO_ENROLLMENT: dict[str, Any] = {
    "event_type": "enrollment",
    "isotimestamp": "2024-09-23T07:30:00+00:00",
    "factor": "duo_push",
    "result": "success",
    "txid": "e1",
    "user": {"name": "linda.weaver@caldercounty.gov"},
}
# Admin API v1: flat fields.
DUO_V1_DENIED: dict[str, Any] = {
    "timestamp": 1727075700,
    "eventtype": "authentication",
    "username": "linda.weaver@caldercounty.gov",
    "factor": "Duo Push",
    "result": "FAILURE",
    "reason": "No response",
    "ip": "185.156.46.112",
    "integration": "Microsoft 365",
    "location": {"city": "Chisinau", "country": "Moldova", "state": ""},
    "new_enrollment": False,
    "device": "717-555-0142",
    "txid": "v1-1",
}

# Microsoft 365 unified audit log records (the Management Activity API's shape; values invented).
M365_FAILED: dict[str, Any] = {
    "CreationTime": "2024-09-12T02:10:33",
    "Id": "6f1a1e7c-0c1d-4e0f-9a4b-2d3c4e5f6a7b",
    "Operation": "UserLoginFailed",
    "OrganizationId": "11-aa-22-bb",
    "RecordType": 15,
    "ResultStatus": "Success",
    "UserKey": "1003200041A2B3C4",
    "UserType": 0,
    "Workload": "AzureActiveDirectory",
    "ClientIP": "185.220.101.4:51234",
    "UserId": "Jane.Doe@CalderCounty.gov",
    "AzureActiveDirectoryEventType": 1,
    "ExtendedProperties": [
        {"Name": "ResultStatusDetail", "Value": "Success"},
        {"Name": "UserAgent", "Value": "python-requests/2.31.0"},
        {"Name": "RequestType", "Value": "OAuth2:Token"},
    ],
    "ApplicationId": "1b730954-1685-4b74-9bfd-dac224a7b894",
    "LogonError": "InvalidUserNameOrPassword",
}
M365_MFA_REQUIRED: dict[str, Any] = {
    **M365_FAILED,
    "Id": "m365-2",
    "CreationTime": "2024-09-12T02:11:00",
    "LogonError": "UserStrongAuthClientAuthNRequiredInterrupt",
    "ErrorNumber": "50074",
}
M365_OK: dict[str, Any] = {
    **M365_FAILED,
    "Id": "m365-3",
    "CreationTime": "2024-09-12T13:02:00",
    "Operation": "UserLoggedIn",
    "ClientIP": "[2001:db8::7]:443",
    "ErrorNumber": "0",
    "DeviceProperties": [{"Name": "OS", "Value": "Windows10"}, {"Name": "BrowserType", "Value": "Edge"}],
}
del M365_OK["LogonError"]
M365_INBOX_RULE: dict[str, Any] = {
    "CreationTime": "2024-09-12T13:05:00",
    "Id": "m365-4",
    "Operation": "New-InboxRule",
    "RecordType": 1,
    "Workload": "Exchange",
    "UserId": "jane.doe@caldercounty.gov",
    "ClientIP": "185.220.101.4",
    "Parameters": [{"Name": "ForwardTo", "Value": "jd.backup@proton.me"}],
}


def purview_csv(*records: dict[str, Any]) -> str:
    """Records as Purview's audit search exports them: one per row, the record in ``AuditData``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["RecordId", "CreationDate", "RecordType", "Operation", "UserId", "AuditData"])
    for r in records:
        writer.writerow(
            [r["Id"], r["CreationTime"], r["RecordType"], r["Operation"], r["UserId"], json.dumps(r)]
        )
    return out.getvalue()


CSV_SIGNINS = (
    "Date (UTC),Request ID,User,Username,Application,IP address,Location,Status,Sign-in error code,"
    "Failure reason,Client app,Autonomous system number\n"
    "2024-09-12T02:10:33Z,req-1,Jane Doe,Jane.Doe@CalderCounty.gov,Office 365 Exchange Online,185.220.101.4,"
    '"Frankfurt am Main, Hesse, DE",Failure,50126,Invalid username or password.,IMAP4,AS205100\n'
    "2024-09-12T02:11:00Z,req-2,Jane Doe,jane.doe@caldercounty.gov,Office 365 Exchange Online,185.220.101.4,"
    '"Frankfurt am Main, Hesse, DE",Interrupted,50074,Strong Authentication is required.,Browser,205100\n'
    "2024-09-12T02:12:00Z,req-3,Bob,bob@caldercounty.gov,Azure Portal,198.51.100.1,"
    '"Boston, MA, US",Success,0,,Browser,7018\n'
)
POSTS_CSV = (
    "message_id,user_id,username,repost_id,created_at,text\n"
    "1,42,springfield_news,,2024-09-12T02:10:33Z,Polls close at 8pm\n"
)


def lines(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def evtx_events() -> list[Event]:
    """The Windows JSON samples as EVTX events (every JSON variant normalized to EventData)."""
    out = []
    for sample in (WINDOWS_4625, WINDOWS_4624, WINDOWS_4688):
        when = datetime.fromisoformat(sample["TimeCreated"]).astimezone(UTC)
        out.append(
            Event(
                int(sample["EventID"]),
                when,
                sample["Computer"],
                {k: v for k, v in sample["EventData"].items() if v is not None},
            )
        )
    return out


def write_samples(folder: Path) -> dict[str, Path]:
    """One file per format, named by the adapter that should read it."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "entra-la": (folder / "la.json", json.dumps([ENTRA_LA_FAIL, ENTRA_LA_OK], indent=1)),
        "okta": (folder / "okta.json", json.dumps([OKTA_FAIL, OKTA_PUSH_DENIED, OKTA_SSO])),
        "google": (
            folder / "google.json",
            json.dumps(
                {"kind": "admin#reports#activities", "items": [GOOGLE_FAILURE, GOOGLE_SUCCESS]}, indent=2
            ),
        ),
        "ocsf": (folder / "ocsf.jsonl", lines(OCSF_FAIL, OCSF_OK)),
        "windows-jsonl": (folder / "security.jsonl", lines(WINDOWS_4625, WINDOWS_4624, WINDOWS_4688)),
        "signins-csv": (folder / "signins.csv", CSV_SIGNINS),
        "duo": (folder / "duo.jsonl", lines(DUO_APPROVED, DUO_FRAUD)),
        "m365-audit": (folder / "audit.csv", purview_csv(M365_FAILED, M365_INBOX_RULE, M365_OK)),
    }
    out = {}
    for name, (path, text) in files.items():
        path.write_text(text, encoding="utf-8")
        out[name] = path
    out["evtx"] = write_evtx(folder / "security.evtx", evtx_events())
    return out


def signin_rows(workspace: Any, source: Path | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE source = ?", [str(source)]) if source else ("", [])
    with workspace.connect(read_only=True) as con:
        table = con.sql(f"SELECT * FROM signins {where} ORDER BY time, source_offset", params=params)
        return table.to_arrow_table().to_pylist()  # type: ignore[no-any-return]


def quarantined(workspace: Any) -> list[tuple[int | None, str]]:
    with workspace.connect(read_only=True) as con:
        return con.execute("SELECT source_offset, reason FROM quarantine ORDER BY 1, 2").fetchall()
