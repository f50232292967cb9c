using System.Globalization;
using Larder.Columnar;

namespace Larder;

/// <summary>Errors of the vault's table optimiser and row filters (DESIGN §8).</summary>
public static partial class LarderErrors
{
    private const string RowRangeForm = "give a half-open, 0-based row range as START:END, :END or START: (e.g. --rows 10:20 keeps rows 10 to 19)";

    /// <summary>A row range text is not Python slice syntax over non-negative integers.</summary>
    public static LarderUsageException RowRangeInvalid(string text, string why)
        => Usage($"'{text}' is not a row range ({why}); {RowRangeForm}.");

    /// <summary>A row range bound is negative.</summary>
    public static LarderUsageException RowRangeNegative(string bound, long value)
        => Usage($"the row range {bound} is {value.ToString(CultureInfo.InvariantCulture)}, but row numbers are not negative; {RowRangeForm}.");

    /// <summary>A row filter was given an empty text to look for.</summary>
    public static LarderUsageException GrepEmptyText()
        => Usage("the text to look for is empty, which every row would contain; give a non-empty text, or leave the row filter out.");

    /// <summary>An optimiser option is out of its range.</summary>
    public static LarderUsageException OptimizerOptionInvalid(string option, string value, string expected)
        => Usage($"TableOptimizerOptions.{option} is {value}; it must be {expected}.");

    /// <summary>A batch given to the optimiser or to its plan does not have the table's column types.</summary>
    public static LarderUsageException OptimizerBatchMismatch(Schema expected, Schema actual)
        => Usage($"the batch's columns ({string.Join(", ", actual.Fields.Select(f => f.Type))}) differ from the optimised table's ({string.Join(", ", expected.Fields.Select(f => f.Type))}); give batches of the table the optimiser observed.");

    /// <summary>A batch was observed after the plan was created.</summary>
    public static LarderUsageException OptimizerAlreadyPlanned()
        => Usage("the optimiser's plan was already created, so it observes no more batches; observe every batch first, then call CreatePlan once.");

    /// <summary>A plan met a string that was not in the observed table (the data differs from what was observed).</summary>
    public static LarderUsageException OptimizerValueNotObserved(string column, string value)
        => Usage($"column '{column}' holds {Shorten(value)}, which the optimiser did not observe; apply a plan only to the batches of the table it was made from.");

    /// <summary>A plan met an integer that does not fit the int8 it narrows the column to.</summary>
    public static LarderUsageException OptimizerIntegerOutOfRange(string column, string value)
        => Usage($"column '{column}' holds {value}, outside the int8 range [-125, 125) its plan narrows it to; apply a plan only to the batches of the table it was made from.");

    /// <summary>A plan met a null in an integer column it narrows (which it only does for columns without nulls).</summary>
    public static LarderUsageException OptimizerUnexpectedNull(string column)
        => Usage($"column '{column}' holds a null, but the optimiser observed none there and narrows it to int8; apply a plan only to the batches of the table it was made from.");
}
