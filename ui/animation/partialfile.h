// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sobolev {

// A hidden file beside `target` (".name.XXXXXX.part") that the encoders write into, renamed
// onto `target` by commit(). Removed when destroyed uncommitted, so a failed or cancelled
// export leaves neither a partial target nor a stray temporary file.
class PartialFile {
  public:
    // Creates the temporary file; on failure path() is empty and *error names the folder and
    // the operating system's reason.
    PartialFile(const QString& target, QString* error);
    ~PartialFile();
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;

    const QString& target() const { return m_target; }
    const QString& path() const { return m_path; }
    // Replaces `target` with the temporary file in one rename. False with *error on failure.
    bool commit(QString* error);

  private:
    QString m_target, m_path;
    bool m_committed = false;
};

} // namespace sobolev
