"""The NFRA (国家金融监督管理总局) and, on its site, the CBIRC and CBRC years: see README.md here."""
