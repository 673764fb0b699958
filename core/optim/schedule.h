// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/optim/staterecord.h"

namespace sobolev {

// The Adam learning rate of each epoch. With E Adam epochs, epoch e = 0 .. E-1, base rate
// lr and floor lr_min = lr * lr_floor:
//   constant     lr
//   cosine       lr_min + (lr - lr_min) (1 + cos(pi e / E)) / 2          (Loshchilov & Hutter)
//   exponential  lr (lr_min / lr)^(e / (E - 1)): geometric from lr to lr_min
//   step         max(lr_min, lr * decay_factor^floor(e / step_epochs))
//   plateau      held at a rate that starts at lr and is lowered by the plateau hook
//                (core/train/plateauhook.h) through setCurrent().
// Every rate is lr x a shape that does not depend on lr (the floor is lr x lr_floor), so a
// change of the learning rate during the run (setBase) replaces lr from then on: the
// schedule keeps its shape and position and all later rates scale by new lr / old lr.
class LearningRateSchedule {
  public:
    explicit LearningRateSchedule(const TrainConfig& config);

    // The rate for the 0-based Adam epoch `epoch`.
    double rate(int epoch) const;
    double base() const { return m_base; }
    // Plateau: the rate from now on (the other shapes' rate is a function of the epoch).
    void setCurrent(double rate);
    // A new base rate lr from now on; plateau's current rate scales with it.
    void setBase(double base);
    // Back to the config's rate.
    void reset();
    // What changes as the run goes (the base rate and plateau's current rate), for a
    // checkpoint; restore() puts it back into a schedule made from the same config.
    StateRecord state() const;
    void restore(const StateRecord& state);

  private:
    Schedule m_kind;
    double m_initialBase, m_fraction; // the config's lr and lr_floor
    double m_base, m_floor, m_factor;
    int m_epochs, m_stepEpochs;
    double m_current = 0; // plateau
};

} // namespace sobolev
