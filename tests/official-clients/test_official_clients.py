"""Tencent's own clients against the emulator: the Python SDK (tencentcloud-sdk-python) and tccli
through the whole life cycle, wrong keys and a skewed clock, asserting the codes they report."""

import datetime
import http.server
import re
import threading
import time

import pytest
import requests
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.live.v20180801 import live_client, models

from conftest import SECRET_ID, SECRET_KEY


def sdk(emu, secret_id=SECRET_ID, secret_key=SECRET_KEY, language="en-US"):
    http = HttpProfile(endpoint=emu.endpoint, certification=str(emu.bundle), reqTimeout=30)
    profile = ClientProfile(httpProfile=http, language=language)
    return live_client.LiveClient(credential.Credential(secret_id, secret_key), "", profile)


def call(client, action, **params):
    request = getattr(models, action + "Request")()
    request._deserialize(params)
    return getattr(client, action)(request)


def code_of(client, action, **params):
    with pytest.raises(TencentCloudSDKException) as raised:
        call(client, action, **params)
    return raised.value.get_code()


def test_sdk_life_cycle(emulator):
    c = sdk(emulator)
    created = call(c, "CreateLiveCallbackTemplate", TemplateName="sdk_tpl", Description="回调模板",
                   StreamBeginNotifyUrl="http://127.0.0.1:8080/cb", CallbackKey="adasda131312",
                   RecordExceptionLevels=["error"])
    tid = created.TemplateId
    assert tid >= 1000 and created.RequestId

    got = call(c, "DescribeLiveCallbackTemplate", TemplateId=tid).Template
    assert (got.TemplateName, got.Description, got.CallbackKey) == ("sdk_tpl", "回调模板", "adasda131312")

    call(c, "ModifyLiveCallbackTemplate", TemplateId=tid, SnapshotNotifyUrl="https://hooks.example.com/snap")
    got = call(c, "DescribeLiveCallbackTemplate", TemplateId=tid).Template
    assert got.SnapshotNotifyUrl == "https://hooks.example.com/snap"
    assert [t.TemplateId for t in call(c, "DescribeLiveCallbackTemplates").Templates] == [tid]

    domains = call(c, "DescribeLiveDomains", DomainType=0, PageSize=100, PageNum=1)
    names = [d.Name for d in domains.DomainList]
    assert domains.AllCount == len(names) >= 2
    for name in names[:2]:
        call(c, "CreateLiveCallbackRule", DomainName=name, AppName="", TemplateId=tid)
    rules = call(c, "DescribeLiveCallbackRules").Rules
    assert sorted(r.DomainName for r in rules) == sorted(names[:2])

    assert code_of(c, "DeleteLiveCallbackTemplate", TemplateId=tid) == "FailedOperation.ConfInUsed"
    assert code_of(c, "CreateLiveCallbackRule", DomainName=names[0], AppName="", TemplateId=tid) == \
        "InternalError.RuleAlreadyExist"

    for name in names[:2]:
        call(c, "DeleteLiveCallbackRule", DomainName=name, AppName="")
    assert code_of(c, "DeleteLiveCallbackRule", DomainName=names[0], AppName="") == "FailedOperation.NotFound"
    call(c, "DeleteLiveCallbackTemplate", TemplateId=tid)
    assert code_of(c, "DescribeLiveCallbackTemplate", TemplateId=tid) == "InternalError.ConfNotFound"


def test_sdk_parameter_errors(emulator):
    c = sdk(emulator)
    assert code_of(c, "CreateLiveCallbackTemplate", StreamBeginNotifyUrl="http://a.com/x") == "MissingParameter"
    assert code_of(c, "CreateLiveCallbackTemplate", TemplateName="no_url") == "InvalidParameterValue"
    assert code_of(c, "CreateLiveCallbackTemplate", TemplateName="bad name",
                   StreamBeginNotifyUrl="http://a.com/x") == "InvalidParameter.ArgsNotMatch"
    assert code_of(c, "DescribeLiveDomain", DomainName="nowhere.example.com") == "ResourceNotFound.DomainNotExist"
    assert code_of(c, "CreateLiveCallbackRule", DomainName="push.example.com", AppName="live",
                   TemplateId=424242) == "InvalidParameter.ConfNotFound"


def test_sdk_wrong_keys(emulator):
    assert code_of(sdk(emulator, secret_key="wrong"), "DescribeLiveCallbackTemplates") == \
        "AuthFailure.SignatureFailure"
    assert code_of(sdk(emulator, secret_id="AKIDnobody"), "DescribeLiveCallbackTemplates") == \
        "AuthFailure.SecretIdNotFound"


def test_sdk_messages_follow_the_language(emulator):
    with pytest.raises(TencentCloudSDKException) as zh:
        call(sdk(emulator, secret_key="wrong", language="zh-CN"), "DescribeLiveCallbackTemplates")
    assert zh.value.get_message() == "请求签名验证失败，请检查您的签名计算是否正确。"
    with pytest.raises(TencentCloudSDKException) as en:
        call(sdk(emulator, secret_key="wrong"), "DescribeLiveCallbackTemplates")
    assert en.value.get_message().startswith("The provided credentials could not be validated")
    assert en.value.get_request_id()


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers a push callback 500 twice, then 200; every other callback 200."""
    pushes = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = 200
        if b'"event_type":1' in body.replace(b" ", b""):
            type(self).pushes += 1
            status = 500 if type(self).pushes <= 2 else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_sdk_delivery_log(fast_emulator):
    """DescribeCallbackRecordsList through the SDK: every attempt (retries included) of a stream whose
    push failed twice, paging, the EventType filter, both time forms, and the window and 14-day limits."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/cb" % server.server_address[1]
    try:
        c = sdk(fast_emulator)
        tid = call(c, "CreateLiveCallbackTemplate", TemplateName="log_tpl", StreamBeginNotifyUrl=url,
                   StreamEndNotifyUrl=url).TemplateId
        call(c, "CreateLiveCallbackRule", DomainName="push.example.com", AppName="", TemplateId=tid)
        admin = "https://%s/__admin/streams/" % fast_emulator.endpoint
        spec = {"domain": "push.example.com", "stream_id": "logged"}
        for step in ("start", "stop"):
            requests.post(admin + step, json=spec, verify=str(fast_emulator.bundle), timeout=10).raise_for_status()

        now = datetime.datetime.now(datetime.timezone.utc)
        utc = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
        beijing = lambda t: (t + datetime.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
        window = dict(StartTime=utc(now - datetime.timedelta(minutes=5)),
                      EndTime=utc(now + datetime.timedelta(minutes=1)), StreamName="logged")
        deadline = time.time() + 30
        while True:
            got = call(c, "DescribeCallbackRecordsList", PageNum=1, PageSize=10, **window)
            # Two failed pushes, the delivered third, and the interruption.
            if got.TotalNum >= 4 or time.time() > deadline:
                break
            time.sleep(0.1)
        assert got.TotalNum == 4, got.to_json_string()
        assert all(r.EventTime.endswith("Z") and r.ResponseTime.endswith("Z") for r in got.DataInfoList)
        assert sorted((r.EventType, r.ResultCode) for r in got.DataInfoList) == [(0, 0), (1, 0), (1, 500), (1, 500)]
        assert all(r.StreamId == "logged" and '"sign"' in r.Request for r in got.DataInfoList)

        # Pages of three: TotalPage 2, the second holds the rest, together every record once.
        first = call(c, "DescribeCallbackRecordsList", PageNum=1, PageSize=3, **window)
        second = call(c, "DescribeCallbackRecordsList", PageNum=2, PageSize=3, **window)
        assert (first.TotalPage, len(first.DataInfoList), len(second.DataInfoList)) == (2, 3, 1)
        assert sorted(r.Request for r in first.DataInfoList + second.DataInfoList) == \
            sorted(r.Request for r in got.DataInfoList)

        pushes = call(c, "DescribeCallbackRecordsList", PageNum=1, PageSize=10, EventType=1, **window)
        assert [r.EventType for r in pushes.DataInfoList] == [1, 1, 1]

        in_beijing = call(c, "DescribeCallbackRecordsList", PageNum=1, PageSize=10, StreamName="logged",
                          StartTime=beijing(now - datetime.timedelta(minutes=5)),
                          EndTime=beijing(now + datetime.timedelta(minutes=1)))
        assert in_beijing.TotalNum == 4
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r.EventTime) for r in in_beijing.DataInfoList)

        assert code_of(c, "DescribeCallbackRecordsList", PageNum=1, PageSize=10, StreamName="logged",
                       StartTime=utc(now - datetime.timedelta(days=2)), EndTime=utc(now)) == "InvalidParameterValue"
        assert code_of(c, "DescribeCallbackRecordsList", PageNum=1, PageSize=10, StreamName="logged",
                       StartTime=utc(now - datetime.timedelta(days=15)),
                       EndTime=utc(now - datetime.timedelta(days=14, hours=12))) == "InvalidParameterValue"
    finally:
        server.shutdown()


def test_sdk_skewed_clock(skewed_emulator):
    assert code_of(sdk(skewed_emulator), "DescribeLiveCallbackTemplates") == "AuthFailure.SignatureExpire"


def test_tccli_life_cycle(emulator, tccli):
    rc, body, out = tccli(emulator, "CreateLiveCallbackTemplate", "--TemplateName", "tccli_tpl",
                          "--StreamBeginNotifyUrl", "http://127.0.0.1:8080/cb", "--CallbackKey", "abc123")
    assert rc == 0, out
    tid = str(body["TemplateId"])

    rc, body, out = tccli(emulator, "DescribeLiveCallbackTemplate", "--TemplateId", tid)
    assert rc == 0 and body["Template"]["TemplateName"] == "tccli_tpl", out

    rc, _, out = tccli(emulator, "ModifyLiveCallbackTemplate", "--TemplateId", tid,
                       "--StreamEndNotifyUrl", "http://127.0.0.1:8080/end")
    assert rc == 0, out
    rc, body, out = tccli(emulator, "DescribeLiveCallbackTemplates")
    assert body["Templates"][0]["StreamEndNotifyUrl"] == "http://127.0.0.1:8080/end", out

    rc, _, out = tccli(emulator, "CreateLiveCallbackRule", "--DomainName", "push.example.com", "--AppName", "live",
                       "--TemplateId", tid)
    assert rc == 0, out
    rc, body, out = tccli(emulator, "DescribeLiveCallbackRules")
    assert [(r["DomainName"], r["AppName"]) for r in body["Rules"]] == [("push.example.com", "live")], out

    rc, _, out = tccli(emulator, "DeleteLiveCallbackTemplate", "--TemplateId", tid)
    assert rc != 0 and "FailedOperation.ConfInUsed" in out, out

    rc, _, out = tccli(emulator, "DeleteLiveCallbackRule", "--DomainName", "push.example.com", "--AppName", "live")
    assert rc == 0, out
    rc, _, out = tccli(emulator, "DeleteLiveCallbackTemplate", "--TemplateId", tid)
    assert rc == 0, out
    rc, body, out = tccli(emulator, "DescribeLiveCallbackTemplates")
    assert body["Templates"] == [], out


def test_tccli_wrong_key_and_skewed_clock(emulator, skewed_emulator, tccli):
    rc, _, out = tccli(emulator, "DescribeLiveCallbackTemplates", secret_key="wrong")
    assert rc != 0 and "AuthFailure.SignatureFailure" in out, out
    rc, _, out = tccli(emulator, "DescribeLiveCallbackTemplates", secret_id="AKIDnobody")
    assert rc != 0 and "AuthFailure.SecretIdNotFound" in out, out
    rc, _, out = tccli(skewed_emulator, "DescribeLiveCallbackTemplates")
    assert rc != 0 and "AuthFailure.SignatureExpire" in out, out
