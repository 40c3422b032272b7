"""The PBOC's 法律法规: laws, regulations, 人民银行令 and normative documents of its 条法司's lists."""
