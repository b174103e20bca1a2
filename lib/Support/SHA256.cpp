//===- SHA256.cpp - SHA-256 of byte streams of any length -----------------===//
#include "ggufc/Support/SHA256.h"
#include "llvm/ADT/StringExtras.h"
#include <cstring>

using namespace llvm;

namespace ggufc {

/// The first 64 primes.
static constexpr uint32_t Primes[64] = {
    2,   3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,
    43,  47,  53,  59,  61,  67,  71,  73,  79,  83,  89,  97,  101,
    103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239,
    241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311};

/// floor(X^(1/N)) for N = 2 or 3, by bisection in 128-bit integers.
static unsigned __int128 integerRoot(unsigned __int128 X, int N) {
  // Every root needed is below 2^35; 2^40 cubed still fits 128 bits.
  unsigned __int128 Lo = 0, Hi = (unsigned __int128)1 << 40;
  while (Hi - Lo > 1) {
    unsigned __int128 Mid = (Lo + Hi) / 2, P = Mid * Mid;
    if (N == 3)
      P *= Mid;
    (P <= X ? Lo : Hi) = Mid;
  }
  return Lo;
}

/// The standard's constants are the first 32 fraction bits of the square
/// roots (initial state) and cube roots (round constants) of the primes;
/// computing them exactly avoids transcribing 72 magic numbers.
static uint32_t fractionBits(uint32_t Prime, int N) {
  unsigned __int128 Scaled = (unsigned __int128)Prime << (32 * N);
  return uint32_t(integerRoot(Scaled, N)); // keeps the low 32 bits
}

static const std::array<uint32_t, 64> &roundConstants() {
  static const std::array<uint32_t, 64> K = [] {
    std::array<uint32_t, 64> R;
    for (int I = 0; I < 64; ++I)
      R[I] = fractionBits(Primes[I], 3);
    return R;
  }();
  return K;
}

static uint32_t rotr(uint32_t X, int N) { return (X >> N) | (X << (32 - N)); }

SHA256::SHA256() {
  for (int I = 0; I < 8; ++I)
    State[I] = fractionBits(Primes[I], 2);
}

void SHA256::compress(const uint8_t *Block) {
  const std::array<uint32_t, 64> &K = roundConstants();
  uint32_t W[64];
  for (int I = 0; I < 16; ++I)
    W[I] = uint32_t(Block[4 * I]) << 24 | uint32_t(Block[4 * I + 1]) << 16 |
           uint32_t(Block[4 * I + 2]) << 8 | uint32_t(Block[4 * I + 3]);
  for (int I = 16; I < 64; ++I) {
    uint32_t S0 = rotr(W[I - 15], 7) ^ rotr(W[I - 15], 18) ^ (W[I - 15] >> 3);
    uint32_t S1 = rotr(W[I - 2], 17) ^ rotr(W[I - 2], 19) ^ (W[I - 2] >> 10);
    W[I] = W[I - 16] + S0 + W[I - 7] + S1;
  }
  uint32_t A = State[0], B = State[1], C = State[2], D = State[3], E = State[4],
           F = State[5], G = State[6], H = State[7];
  for (int I = 0; I < 64; ++I) {
    uint32_t S1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
    uint32_t Ch = (E & F) ^ (~E & G);
    uint32_t T1 = H + S1 + Ch + K[I] + W[I];
    uint32_t S0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
    uint32_t Maj = (A & B) ^ (A & C) ^ (B & C);
    uint32_t T2 = S0 + Maj;
    H = G;
    G = F;
    F = E;
    E = D + T1;
    D = C;
    C = B;
    B = A;
    A = T1 + T2;
  }
  State[0] += A;
  State[1] += B;
  State[2] += C;
  State[3] += D;
  State[4] += E;
  State[5] += F;
  State[6] += G;
  State[7] += H;
}

void SHA256::update(ArrayRef<uint8_t> Data) {
  Length += Data.size();
  const uint8_t *P = Data.data();
  size_t N = Data.size();
  if (Buffered) {
    size_t Take = std::min(N, sizeof(Buffer) - Buffered);
    std::memcpy(Buffer + Buffered, P, Take);
    Buffered += Take;
    P += Take;
    N -= Take;
    if (Buffered < sizeof(Buffer))
      return;
    compress(Buffer);
    Buffered = 0;
  }
  for (; N >= 64; P += 64, N -= 64)
    compress(P);
  std::memcpy(Buffer, P, N);
  Buffered = N;
}

std::array<uint8_t, 32> SHA256::final() {
  // Padding: 0x80, zeros to 56 mod 64, then the length in bits (64-bit
  // big endian).
  uint64_t Bits = Length * 8;
  uint8_t Pad[72] = {0x80};
  size_t PadLen = (Buffered < 56 ? 56 : 120) - Buffered;
  for (int I = 0; I < 8; ++I)
    Pad[PadLen + I] = uint8_t(Bits >> (56 - 8 * I));
  update(ArrayRef<uint8_t>(Pad, PadLen + 8));
  std::array<uint8_t, 32> Digest;
  for (int I = 0; I < 8; ++I)
    for (int J = 0; J < 4; ++J)
      Digest[4 * I + J] = uint8_t(State[I] >> (24 - 8 * J));
  return Digest;
}

std::string SHA256::hex(ArrayRef<uint8_t> Data) {
  SHA256 H;
  H.update(Data);
  std::array<uint8_t, 32> D = H.final();
  return toHex(ArrayRef<uint8_t>(D), /*LowerCase=*/true);
}

} // namespace ggufc
