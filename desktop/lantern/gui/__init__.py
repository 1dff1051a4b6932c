"""gui layer of Lantern."""
