// The shims are header-only; SwiftPM needs one source file per C target.
#include "NetShims.h"
