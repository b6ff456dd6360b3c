"""Tencent's own clients against the emulator: the Python SDK (tencentcloud-sdk-python) and tccli
through the whole life cycle, wrong keys and a skewed clock, asserting the codes they report."""

import pytest
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
