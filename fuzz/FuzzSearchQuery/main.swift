import FuzzDriver

runFuzzer(fuzzSearchQuery)
