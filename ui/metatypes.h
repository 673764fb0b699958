#pragma once

#include "metrics.h"

#include <QMetaType>

// Lets the core's value types travel through queued signals and QVariant.
Q_DECLARE_METATYPE(sobolev::EpochMetrics)
Q_DECLARE_METATYPE(sobolev::Predictions)
