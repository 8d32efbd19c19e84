import CoreStore
import Testing

@Suite("malloc tuning")
struct MallocTuningTests {
    @Test(
        "left alone with GLIBC_TUNABLES; otherwise 1 MiB mmap threshold, 8 MiB trim, two arenas per core, at least four"
    )
    func settingsFollowTheEnvironment() {
        #expect(MallocTuning.settings(environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=2"], cores: 2) == nil)
        let two = MallocTuning.settings(environment: ["PATH": "/usr/bin"], cores: 2)
        #expect(two == .init(mmapThresholdBytes: 1 << 20, trimThresholdBytes: 8 << 20, arenas: 4))
        #expect(MallocTuning.settings(environment: [:], cores: 1)?.arenas == 4)
        #expect(MallocTuning.settings(environment: [:], cores: 8)?.arenas == 16)
    }
}
