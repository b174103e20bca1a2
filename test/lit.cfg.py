# lit configuration for ggufc. Run through `cmake --build build --target check`
# (or ctest), which configures lit.site.cfg.py with the build paths.
import os
import lit.formats

config.name = "ggufc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".ir", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ggufc_obj_root, "test")

# Tools under test first, then LLVM's FileCheck/not/count.
config.environment["PATH"] = os.pathsep.join(
    [config.ggufc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Debian's python3 (with numpy and sentencepiece), not a pyenv shim.
config.substitutions.append(("%python", config.python3))
config.substitutions.append(("%utils", os.path.join(config.ggufc_src_root, "utils")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
# Runtime (npm) directory set up by utils/setup.sh, with the real llama.cpp
# that llama-check links against; "REQUIRES: runtime" gates tests on both.
config.environment["GGUFC_RUNTIME_DIR"] = config.ggufc_runtime_dir
config.substitutions.append(("%runtime", config.ggufc_runtime_dir))
# The runtime conformance checker (docs/Runtime.md); each architecture's test
# in test/Runtime runs it and FileChecks Runtime/Inputs/conformance.check.
config.substitutions.append(
    ("%conformance", config.python3 + " " +
     os.path.join(config.ggufc_src_root, "utils", "conformance.py")))
if os.path.isdir(os.path.join(config.ggufc_runtime_dir, "node_modules")) and \
        os.path.exists(os.path.join(config.ggufc_tools_dir, "llama-check")):
    config.available_features.add("runtime")
else:
    lit_config.note("no llama.cpp runtime (run utils/setup.sh): "
                    "tests that need it (test/Runtime) are UNSUPPORTED")
