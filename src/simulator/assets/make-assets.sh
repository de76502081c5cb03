#!/usr/bin/env bash
# Rebuilds the simulator's sample result files. For maintainers only: the build and the tests use the
# committed outputs and never need ffmpeg. Needs ffmpeg with libx264 (Debian: apt-get install ffmpeg).
#
#   sample.mp4  2 s of ffmpeg's testsrc2 pattern (a frame counter, so seeking is visible), 320x180,
#               15 fps, H.264 Constrained Baseline, yuv420p, no audio, moov before mdat (+faststart)
#               so a browser starts playing from the first Range request.
#   sample.jpg  the frame at 1 s, as the thumbnail.
#
# The output is byte-for-byte reproducible with the same ffmpeg: one encoder thread, bitexact flags,
# no metadata, and the x264 SEI (its version and settings string) filtered out.
set -euo pipefail
cd "$(dirname "$0")"

ffmpeg -v error -y -f lavfi -i "testsrc2=size=320x180:rate=15:duration=2" \
  -c:v libx264 -threads 1 -preset veryslow -crf 34 -g 30 \
  -profile:v baseline -level 3.0 -pix_fmt yuv420p \
  -bsf:v filter_units=remove_types=6 \
  -fflags +bitexact -flags:v +bitexact -map_metadata -1 -movflags +faststart -an \
  sample.mp4

ffmpeg -v error -y -ss 1 -i sample.mp4 -frames:v 1 -q:v 5 \
  -fflags +bitexact -flags:v +bitexact -map_metadata -1 \
  sample.jpg

# A broken file must not be committed: decode every frame, and show what was made.
ffmpeg -v error -i sample.mp4 -f null -
ffprobe -v error -select_streams v:0 \
  -show_entries stream=codec_name,profile,pix_fmt,width,height,nb_frames:format=duration,size \
  -of compact sample.mp4
ls -l sample.mp4 sample.jpg
