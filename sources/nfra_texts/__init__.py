"""The NFRA's 政策法规 (laws, rules, normative documents, notices) on the same JSON endpoints as its penalties: see README.md here."""
