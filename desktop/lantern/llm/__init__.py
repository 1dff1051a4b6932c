"""llm layer of Lantern."""
