import CoreStore
import Testing

@Suite("malloc tuning")
struct MallocTuningTests {
    @Test("applied without GLIBC_TUNABLES, left alone with it; arenas two per core, at least four")
    func appliesUnlessTheOperatorTunes() {
        #expect(!MallocTuning.apply(environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=2"], cores: 2))
        #expect(MallocTuning.apply(environment: [:], cores: 2))
        #expect(MallocTuning.arenaLimit(cores: 1) == 4)
        #expect(MallocTuning.arenaLimit(cores: 2) == 4)
        #expect(MallocTuning.arenaLimit(cores: 8) == 16)
        #expect(MallocTuning.mmapThresholdBytes < MallocTuning.trimThresholdBytes)
    }
}
