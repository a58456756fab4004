import FuzzDriver

runFuzzer(fuzzPNGSplit)
