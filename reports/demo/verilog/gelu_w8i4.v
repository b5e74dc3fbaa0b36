// gelu_w8i4: gelu activation, x fixed<8,4,RND_CONV,SAT> -> y ufixed<8,3,RND_CONV,SAT>, behavioral, latency 0 cycle(s).
// Ports carry raw bit patterns (two's complement for fixed, unsigned for ufixed). Written by helu-sim verilog.
`default_nettype none
module gelu_w8i4 (
  input  wire [7:0] x,
  output wire [7:0] y
);
  reg [7:0] rom [0:255];
  initial $readmemh("gelu_w8i4.mem", rom);
  assign y = rom[x];
endmodule
`default_nettype wire
