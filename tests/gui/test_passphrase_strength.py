from lantern.gui.passphrase_strength import estimate


def test_empty_and_short_are_very_weak(qapp):
    assert estimate("").score == 0
    assert estimate("abc12").score == 0


def test_common_and_sequences_are_weak(qapp):
    assert estimate("password1").score <= 1
    assert estimate("12345678").score <= 1
    assert estimate("aaaaaaaaaaaaaaaa").score == 0


def test_long_multiword_is_strong(qapp):
    s = estimate("river lantern maize 42!")
    assert s.score >= 3
    assert estimate("correct horse battery staple").score >= 3


def test_variety_raises_score(qapp):
    assert estimate("Tq7#mV2!pX9z").score > estimate("tqmvpxzabwke").score - 1
    assert estimate("Tq7#mV2!pX9z").bits > estimate("tqmvpxzabwke").bits


def test_chinese_passphrase_counts(qapp):
    assert estimate("灯笼诊所安全密码很长").score >= 2


def test_hints_present_for_weak(qapp):
    assert estimate("short1").hints


def test_two_plain_words_are_not_enough(qapp):
    assert estimate("river lantern").score <= 1
