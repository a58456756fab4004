import FuzzDriver

runFuzzer(fuzzPromptParameters)
