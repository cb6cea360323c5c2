#include "mapping/sync.h"
