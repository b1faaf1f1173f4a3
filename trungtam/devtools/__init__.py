"""Development tools (DESIGN §3, top layer): the demo data set, the benchmark and the row builders
they share with the tests. Nothing in the product imports this app; it may import any other."""
