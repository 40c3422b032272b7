"""The CSRC (中国证券监督管理委员会), its head office and 36 bureaus: see README.md here."""
