// TTGIR of examples/compile_gemm.py (128x128x64, 8 warps, fp16) for cuda:80,
// captured with MLIR_ENABLE_DUMP=1 right before tritongpu-assign-latencies.
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 4], instrShape = [16, 8]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32, "ttng.two-ctas" = false} {
  tt.func public @matmul_kernel(%arg0: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %arg1: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %arg2: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %arg3: i32 {tt.divisibility = 16 : i32}, %arg4: i32 {tt.divisibility = 16 : i32}, %arg5: i32 {tt.divisibility = 16 : i32}, %arg6: i32 {tt.divisibility = 16 : i32}, %arg7: i32 {tt.divisibility = 16 : i32}, %arg8: i32 {tt.divisibility = 16 : i32}) attributes {noinline = false} {
    %cst = arith.constant dense<64> : tensor<128x64xi32, #blocked>
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    %c127_i32 = arith.constant 127 : i32
    %c63_i32 = arith.constant 63 : i32
    %c64_i32 = arith.constant 64 : i32
    %c128_i32 = arith.constant 128 : i32
    %c8_i32 = arith.constant 8 : i32
    %cst_0 = arith.constant dense<0.000000e+00> : tensor<128x64xf16, #blocked>
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<64x128xf16, #blocked1>
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
    %0 = tt.get_program_id x : i32
    %1 = arith.addi %arg3, %c127_i32 : i32
    %2 = arith.divsi %1, %c128_i32 : i32
    %3 = arith.addi %arg4, %c127_i32 : i32
    %4 = arith.divsi %3, %c128_i32 : i32
    %5 = arith.muli %4, %c8_i32 : i32
    %6 = arith.divsi %0, %5 : i32
    %7 = arith.muli %6, %c8_i32 : i32
    %8 = arith.subi %2, %7 : i32
    %9 = arith.minsi %8, %c8_i32 : i32
    %10 = arith.remsi %0, %5 : i32
    %11 = arith.remsi %10, %9 : i32
    %12 = arith.addi %7, %11 : i32
    %13 = arith.divsi %10, %9 : i32
    %14 = arith.muli %12, %c128_i32 : i32
    %15 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %16 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %17 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked1}>>
    %18 = tt.splat %14 : i32 -> tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %19 = tt.splat %14 : i32 -> tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %20 = arith.addi %18, %15 : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %21 = arith.addi %19, %16 : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %22 = arith.muli %13, %c128_i32 : i32
    %23 = tt.splat %22 : i32 -> tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked1}>>
    %24 = arith.addi %23, %17 : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked1}>>
    %25 = tt.expand_dims %20 {axis = 1 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<128x1xi32, #blocked>
    %26 = tt.expand_dims %21 {axis = 1 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>> -> tensor<128x1xi32, #blocked1>
    %27 = tt.splat %arg6 : i32 -> tensor<128x1xi32, #blocked>
    %28 = arith.muli %25, %27 : tensor<128x1xi32, #blocked>
    %29 = tt.splat %arg0 : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #blocked>
    %30 = tt.addptr %29, %28 : tensor<128x1x!tt.ptr<f16>, #blocked>, tensor<128x1xi32, #blocked>
    %31 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %32 = tt.expand_dims %31 {axis = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xi32, #blocked>
    %33 = tt.broadcast %30 : tensor<128x1x!tt.ptr<f16>, #blocked> -> tensor<128x64x!tt.ptr<f16>, #blocked>
    %34 = tt.broadcast %32 : tensor<1x64xi32, #blocked> -> tensor<128x64xi32, #blocked>
    %35 = tt.addptr %33, %34 : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %36 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %37 = tt.expand_dims %36 {axis = 1 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked1}>> -> tensor<64x1xi32, #blocked1>
    %38 = tt.splat %arg7 : i32 -> tensor<64x1xi32, #blocked1>
    %39 = arith.muli %37, %38 : tensor<64x1xi32, #blocked1>
    %40 = tt.splat %arg1 : !tt.ptr<f16> -> tensor<64x1x!tt.ptr<f16>, #blocked1>
    %41 = tt.addptr %40, %39 : tensor<64x1x!tt.ptr<f16>, #blocked1>, tensor<64x1xi32, #blocked1>
    %42 = tt.expand_dims %24 {axis = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked1}>> -> tensor<1x128xi32, #blocked1>
    %43 = tt.broadcast %41 : tensor<64x1x!tt.ptr<f16>, #blocked1> -> tensor<64x128x!tt.ptr<f16>, #blocked1>
    %44 = tt.broadcast %42 : tensor<1x128xi32, #blocked1> -> tensor<64x128xi32, #blocked1>
    %45 = tt.addptr %43, %44 : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    %46 = arith.addi %arg5, %c63_i32 : i32
    %47 = arith.divsi %46, %c64_i32 : i32
    %48 = tt.splat %arg3 : i32 -> tensor<128x1xi32, #blocked>
    %49 = arith.cmpi slt, %25, %48 : tensor<128x1xi32, #blocked>
    %50 = tt.broadcast %49 : tensor<128x1xi1, #blocked> -> tensor<128x64xi1, #blocked>
    %51 = tt.splat %arg4 : i32 -> tensor<1x128xi32, #blocked1>
    %52 = arith.cmpi slt, %42, %51 : tensor<1x128xi32, #blocked1>
    %53 = tt.broadcast %52 : tensor<1x128xi1, #blocked1> -> tensor<64x128xi1, #blocked1>
    %54 = arith.muli %arg7, %c64_i32 : i32
    %55 = tt.splat %54 : i32 -> tensor<64x128xi32, #blocked1>
    %56:3 = scf.for %arg9 = %c0_i32 to %47 step %c1_i32 iter_args(%arg10 = %cst_2, %arg11 = %35, %arg12 = %45) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>)  : i32 {
      %73 = arith.muli %arg9, %c64_i32 : i32
      %74 = arith.subi %arg5, %73 : i32
      %75 = tt.splat %74 : i32 -> tensor<1x64xi32, #blocked>
      %76 = arith.cmpi slt, %32, %75 : tensor<1x64xi32, #blocked>
      %77 = tt.broadcast %76 : tensor<1x64xi1, #blocked> -> tensor<128x64xi1, #blocked>
      %78 = arith.andi %50, %77 : tensor<128x64xi1, #blocked>
      %79 = tt.load %arg11, %78, %cst_0 : tensor<128x64x!tt.ptr<f16>, #blocked>
      %80 = tt.splat %74 : i32 -> tensor<64x1xi32, #blocked1>
      %81 = arith.cmpi slt, %37, %80 : tensor<64x1xi32, #blocked1>
      %82 = tt.broadcast %81 : tensor<64x1xi1, #blocked1> -> tensor<64x128xi1, #blocked1>
      %83 = arith.andi %82, %53 : tensor<64x128xi1, #blocked1>
      %84 = tt.load %arg12, %83, %cst_1 : tensor<64x128x!tt.ptr<f16>, #blocked1>
      %85 = ttg.convert_layout %79 : tensor<128x64xf16, #blocked> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
      %86 = ttg.convert_layout %84 : tensor<64x128xf16, #blocked1> -> tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
      %87 = tt.dot %85, %86, %arg10, inputPrecision = tf32 : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<128x128xf32, #mma>
      %88 = tt.addptr %arg11, %cst : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
      %89 = tt.addptr %arg12, %55 : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
      scf.yield %87, %88, %89 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
    }
    %57 = tt.splat %arg8 : i32 -> tensor<128x1xi32, #blocked1>
    %58 = arith.muli %26, %57 : tensor<128x1xi32, #blocked1>
    %59 = tt.splat %arg2 : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #blocked1>
    %60 = tt.addptr %59, %58 : tensor<128x1x!tt.ptr<f16>, #blocked1>, tensor<128x1xi32, #blocked1>
    %61 = tt.broadcast %60 : tensor<128x1x!tt.ptr<f16>, #blocked1> -> tensor<128x128x!tt.ptr<f16>, #blocked1>
    %62 = tt.broadcast %42 : tensor<1x128xi32, #blocked1> -> tensor<128x128xi32, #blocked1>
    %63 = tt.addptr %61, %62 : tensor<128x128x!tt.ptr<f16>, #blocked1>, tensor<128x128xi32, #blocked1>
    %64 = tt.splat %arg3 : i32 -> tensor<128x1xi32, #blocked1>
    %65 = arith.cmpi slt, %26, %64 : tensor<128x1xi32, #blocked1>
    %66 = tt.splat %arg4 : i32 -> tensor<1x128xi32, #blocked1>
    %67 = arith.cmpi slt, %42, %66 : tensor<1x128xi32, #blocked1>
    %68 = tt.broadcast %65 : tensor<128x1xi1, #blocked1> -> tensor<128x128xi1, #blocked1>
    %69 = tt.broadcast %67 : tensor<1x128xi1, #blocked1> -> tensor<128x128xi1, #blocked1>
    %70 = arith.andi %68, %69 : tensor<128x128xi1, #blocked1>
    %71 = arith.truncf %56#0 : tensor<128x128xf32, #mma> to tensor<128x128xf16, #mma>
    %72 = ttg.convert_layout %71 : tensor<128x128xf16, #mma> -> tensor<128x128xf16, #blocked1>
    tt.store %63, %72, %70 : tensor<128x128x!tt.ptr<f16>, #blocked1>
    tt.return
  }
}

