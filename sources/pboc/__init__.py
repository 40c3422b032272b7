"""The People's Bank of China (中国人民银行), its head office and 36 branch sites: see README.md here."""
