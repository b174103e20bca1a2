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
# Runtime (npm) directory set up by utils/setup.sh; features gate tests on it.
config.environment["GGUFC_RUNTIME_DIR"] = config.ggufc_runtime_dir
if config.ggufc_runtime_dir and os.path.isdir(config.ggufc_runtime_dir):
    config.available_features.add("runtime")
