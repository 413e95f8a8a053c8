"""The who-does-what directory of organisations serving trafficked children (DESIGN.md 1.5)."""
