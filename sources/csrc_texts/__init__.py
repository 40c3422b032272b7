"""The CSRC's 证监会令, 证监会公告 and its 规章库 (the rules in force): see README.md here."""
