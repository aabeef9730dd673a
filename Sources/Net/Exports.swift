// The generator networks are initialised with lives in the leaf module `Random` (Plants uses it
// too and must not depend on Net); users of Net get it with `import Net`.
@_exported import Random
