"""Field readers: the words of a decision → amounts, sanctions, parties, institutions, authorities and regions, cited
laws and articles, violation categories. Each reads text, never a document's layout."""
