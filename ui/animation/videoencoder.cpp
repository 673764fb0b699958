// SPDX-License-Identifier: GPL-3.0-or-later
#include "videoencoder.h"

#include "frameimage.h"
#include "partialfile.h"

#include <QCoreApplication>
#include <QFile>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::VideoEncoder", text);
}

QString avError(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QString::fromUtf8(text);
}

struct CodecChoice {
    const char* container;
    const char* encoder;
    AVCodecID fallback;
};

CodecChoice choice(VideoCodec codec) {
    if (codec == VideoCodec::H264)
        return {"mp4", "libx264", AV_CODEC_ID_H264};
    return {"webm", "libvpx-vp9", AV_CODEC_ID_VP9};
}

// Quality over file size, but fast enough for 150 frames of 800x450 in about 2 s on two cores
// (sobolev-animation-bench); the constant-quality levels keep chart text and thin lines
// sharp. VP9's "good" deadline looks no better on charts and takes six times as long; its
// "realtime" at cpu-used 8 rings around text.
void setEncoderOptions(AVCodecContext* context, VideoCodec codec) {
    if (codec == VideoCodec::H264) {
        av_opt_set(context->priv_data, "preset", "veryfast", 0);
        av_opt_set(context->priv_data, "crf", "20", 0);
    } else {
        context->bit_rate = 0; // with crf: constant quality, no bit-rate target
        av_opt_set(context->priv_data, "crf", "28", 0);
        av_opt_set(context->priv_data, "deadline", "realtime", 0);
        av_opt_set(context->priv_data, "cpu-used", "5", 0);
        av_opt_set(context->priv_data, "row-mt", "1", 0);
    }
}

class VideoEncoder final : public AnimationEncoder {
  public:
    VideoEncoder(const QString& path, VideoCodec codec, QSize size, int fps, QString* error)
        : m_file(path, error), m_size(size) {
        if (!m_file.path().isEmpty())
            m_open = open(codec, fps, error);
    }
    ~VideoEncoder() override;

    bool isOpen() const { return m_open; }
    bool addFrame(const QImage& frame, QString* error) override;
    bool finish(QString* error) override;

  private:
    bool open(VideoCodec codec, int fps, QString* error);
    bool openCodec(VideoCodec codec, int fps, QString* error);
    // Sends `frame` (nullptr: drain) and writes every packet the encoder has ready.
    bool encode(const AVFrame* frame, QString* error);
    bool fail(const QString& what, int code, QString* error);

    PartialFile m_file;
    QSize m_size;
    bool m_open = false;
    AVFormatContext* m_format = nullptr;
    AVCodecContext* m_codec = nullptr;
    AVStream* m_stream = nullptr;
    AVFrame* m_frame = nullptr;
    AVPacket* m_packet = nullptr;
    SwsContext* m_sws = nullptr;
    std::int64_t m_frames = 0;
};

VideoEncoder::~VideoEncoder() {
    sws_freeContext(m_sws);
    av_packet_free(&m_packet);
    av_frame_free(&m_frame);
    avcodec_free_context(&m_codec);
    if (m_format) {
        avio_closep(&m_format->pb);
        avformat_free_context(m_format);
    }
    // m_file, destroyed next, removes the temporary file unless finish() renamed it.
}

bool VideoEncoder::fail(const QString& what, int code, QString* error) {
    *error = tr("Cannot write %1: %2 (%3)").arg(m_file.target(), what, avError(code));
    m_open = false;
    return false;
}

bool VideoEncoder::openCodec(VideoCodec codec, int fps, QString* error) {
    const CodecChoice c = choice(codec);
    const AVCodec* encoder = avcodec_find_encoder_by_name(c.encoder);
    if (!encoder)
        encoder = avcodec_find_encoder(c.fallback);
    if (!encoder) {
        *error = tr("This FFmpeg has no %1 encoder.").arg(QString::fromLatin1(c.encoder));
        return false;
    }
    m_codec = avcodec_alloc_context3(encoder);
    if (!m_codec)
        return fail(tr("out of memory"), AVERROR(ENOMEM), error);
    m_codec->width = m_size.width();
    m_codec->height = m_size.height();
    m_codec->time_base = AVRational{1, fps};
    m_codec->framerate = AVRational{fps, 1};
    m_codec->gop_size = 2 * fps; // a key frame every 2 s, for seeking
    m_codec->pix_fmt = AV_PIX_FMT_YUV420P;
    // What swscale's default RGB to YUV conversion produces: BT.601, limited range.
    m_codec->colorspace = AVCOL_SPC_SMPTE170M;
    m_codec->color_range = AVCOL_RANGE_MPEG;
    if (m_format->oformat->flags & AVFMT_GLOBALHEADER)
        m_codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    setEncoderOptions(m_codec, codec);
    if (const int code = avcodec_open2(m_codec, encoder, nullptr); code < 0)
        return fail(tr("the %1 encoder did not start").arg(QString::fromLatin1(encoder->name)),
                    code, error);
    m_stream = avformat_new_stream(m_format, nullptr);
    if (!m_stream)
        return fail(tr("out of memory"), AVERROR(ENOMEM), error);
    m_stream->time_base = m_codec->time_base;
    m_stream->avg_frame_rate = m_codec->framerate;
    if (const int code = avcodec_parameters_from_context(m_stream->codecpar, m_codec); code < 0)
        return fail(tr("the stream parameters"), code, error);
    return true;
}

bool VideoEncoder::open(VideoCodec codec, int fps, QString* error) {
    av_log_set_level(AV_LOG_QUIET); // errors are reported through *error, not on stderr
    const QByteArray path = QFile::encodeName(m_file.path());
    if (const int code = avformat_alloc_output_context2(&m_format, nullptr, choice(codec).container,
                                                        path.constData());
        code < 0)
        return fail(tr("the container"), code, error);
    if (!openCodec(codec, fps, error))
        return false;
    if (const int code = avio_open(&m_format->pb, path.constData(), AVIO_FLAG_WRITE); code < 0)
        return fail(tr("opening the file"), code, error);
    AVDictionary* options = nullptr;
    if (codec == VideoCodec::H264) // the index first, so a browser can play before the end
        av_dict_set(&options, "movflags", "+faststart", 0);
    const int code = avformat_write_header(m_format, &options);
    av_dict_free(&options);
    if (code < 0)
        return fail(tr("the header"), code, error);
    m_frame = av_frame_alloc();
    m_packet = av_packet_alloc();
    if (!m_frame || !m_packet)
        return fail(tr("out of memory"), AVERROR(ENOMEM), error);
    m_frame->format = AV_PIX_FMT_YUV420P;
    m_frame->width = m_size.width();
    m_frame->height = m_size.height();
    if (const int code = av_frame_get_buffer(m_frame, 0); code < 0)
        return fail(tr("out of memory"), code, error);
    // Same size in and out: only the pixel format changes. AV_PIX_FMT_RGB32 is QImage's
    // Format_RGB32 (0xffRRGGBB in native byte order).
    m_sws =
        sws_getContext(m_size.width(), m_size.height(), AV_PIX_FMT_RGB32, m_size.width(),
                       m_size.height(), AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (!m_sws)
        return fail(tr("the colour conversion"), AVERROR(EINVAL), error);
    return true;
}

bool VideoEncoder::encode(const AVFrame* frame, QString* error) {
    if (const int code = avcodec_send_frame(m_codec, frame); code < 0)
        return fail(tr("encoding frame %1").arg(m_frames), code, error);
    for (;;) {
        const int code = avcodec_receive_packet(m_codec, m_packet);
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF)
            return true;
        if (code < 0)
            return fail(tr("encoding frame %1").arg(m_frames), code, error);
        av_packet_rescale_ts(m_packet, m_codec->time_base, m_stream->time_base);
        m_packet->stream_index = m_stream->index;
        if (const int written = av_interleaved_write_frame(m_format, m_packet); written < 0)
            return fail(tr("writing frame %1").arg(m_frames), written, error);
    }
}

bool VideoEncoder::addFrame(const QImage& frame, QString* error) {
    if (!m_open) {
        *error = tr("The video %1 is closed after an earlier error.").arg(m_file.target());
        return false;
    }
    const QImage image = opaqueFrame(frame, m_size);
    if (image.isNull()) {
        *error = tr("Frame %1 of %2 is an empty image.").arg(m_frames + 1).arg(m_file.target());
        return false;
    }
    // The encoder may still hold the previous frame's buffer.
    if (const int code = av_frame_make_writable(m_frame); code < 0)
        return fail(tr("out of memory"), code, error);
    const uint8_t* source[1] = {image.constBits()};
    const int sourceStride[1] = {int(image.bytesPerLine())};
    sws_scale(m_sws, source, sourceStride, 0, m_size.height(), m_frame->data, m_frame->linesize);
    m_frame->pts = m_frames; // in the codec's time base, 1/fps
    if (!encode(m_frame, error))
        return false;
    ++m_frames;
    return true;
}

bool VideoEncoder::finish(QString* error) {
    if (!m_open) {
        *error = tr("The video %1 is closed after an earlier error.").arg(m_file.target());
        return false;
    }
    if (m_frames == 0) { // a stream without frames, which players refuse
        *error = tr("The video %1 has no frames.").arg(m_file.target());
        return false;
    }
    if (!encode(nullptr, error))
        return false;
    if (const int code = av_write_trailer(m_format); code < 0)
        return fail(tr("the trailer"), code, error);
    if (const int code = avio_closep(&m_format->pb); code < 0)
        return fail(tr("closing the file"), code, error);
    m_open = false;
    return m_file.commit(error);
}

} // namespace

std::unique_ptr<AnimationEncoder> openVideoEncoder(const QString& path, VideoCodec codec,
                                                   QSize size, int fps, QString* error) {
    auto encoder = std::make_unique<VideoEncoder>(path, codec, size, fps, error);
    if (!encoder->isOpen())
        return nullptr;
    return encoder;
}

} // namespace sobolev
